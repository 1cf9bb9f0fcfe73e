using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Misuse;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Grains.Misuse;

/// <summary>A flag as the ledger records it (what the monthly review counts) and as the auditors' dashboards receive it.</summary>
public static class MisuseFlagRecords
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static AuditEntry Raised(MisuseFlag flag, DateTimeOffset now) =>
        new(now, AuditKinds.MisuseFlag, "flag", flag.Rule, AgencyId: flag.AgencyId, Actor: flag.Suspect, DistrictCode: flag.DistrictCode,
            Details: JsonSerializer.Serialize(new { flagId = flag.Id, rule = flag.Rule, evidence = flag.Evidence, summary = flag.Summary, key = flag.Key }, Json));

    public static AuditEntry Acknowledged(MisuseFlag flag, string actor, string agencyId, DateTimeOffset now) =>
        new(now, AuditKinds.FlagAcknowledged, "acknowledged", flag.Rule, AgencyId: agencyId, Actor: actor, DistrictCode: flag.DistrictCode,
            Details: JsonSerializer.Serialize(new { flagId = flag.Id, note = flag.Note }, Json));

    public static DashboardEvent Event(string name, MisuseFlag flag, DateTimeOffset now) =>
        new(name, null, flag.DistrictCode, [], JsonSerializer.Serialize(flag, Json), now, AuditorsOnly: true);
}
