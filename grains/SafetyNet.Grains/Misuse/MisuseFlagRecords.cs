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

    /// <summary>
    /// One log line for a tick's flags, bounded: the count per rule and the first <paramref name="listed"/> flags. A burst (a
    /// misconfigured console refused every few milliseconds flags its operator once per district) once wrote a line of 47 KB;
    /// every flag is in the ledger and at GET /api/v1/audit/flags.
    /// </summary>
    public static string LogSummary(IReadOnlyCollection<MisuseFlag> flags, int listed = 10)
    {
        var perRule = string.Join(", ", flags.GroupBy(f => f.Rule).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
        var first = string.Join(", ", flags.Take(listed).Select(f => $"{f.Rule} {f.Suspect} {f.DistrictCode}"));
        var more = flags.Count > listed ? $", and {flags.Count - listed} more (GET /api/v1/audit/flags)" : "";
        return $"{flags.Count} ({perRule}): {first}{more}";
    }

    public static DashboardEvent Event(string name, MisuseFlag flag, DateTimeOffset now) =>
        new(name, null, flag.DistrictCode, [], JsonSerializer.Serialize(flag, Json), now, AuditorsOnly: true);
}
