namespace SafetyNet.Api.Auth;

public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Agency = "agency";
    public const string Role = "role";
    public const string Session = "sid";
}
