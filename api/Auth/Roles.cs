namespace SafetyNet.Api.Auth;

public static class Roles
{
    public const string Operator = "operator";
    public const string Supervisor = "supervisor";
    public const string DistrictAdmin = "district-admin";
    public const string Auditor = "auditor";
    public const string DispatchSystem = "dispatch-system";
    public const string PlatformAdmin = "platform-admin";

    public static readonly IReadOnlyList<string> All = [Operator, Supervisor, DistrictAdmin, Auditor, DispatchSystem, PlatformAdmin];
}
