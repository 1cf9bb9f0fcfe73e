namespace SafetyNet.Contracts.Notifications;

/// <summary>
/// The numbered streams dashboard events travel in, one per audience: an agency's incident and access events, a district's
/// camera status changes, a district's misuse flags (and <see cref="AllFlags"/> for flags with no district). A stream's key
/// is also the SignalR group of its audience.
/// </summary>
public static class EventStreams
{
    private const string AgencyPrefix = "agency:";
    private const string DistrictPrefix = "district:";
    private const string FlagsPrefix = "flags:";

    public const string AllFlags = "flags:*";

    public static string Agency(string agencyId) => AgencyPrefix + agencyId;

    public static string District(string districtCode) => DistrictPrefix + districtCode;

    public static string Flags(string? districtCode) => districtCode is null ? AllFlags : FlagsPrefix + districtCode;

    /// <summary>
    /// The streams an event belongs to, each with the event narrowed to that stream's audience: one per audience agency;
    /// otherwise its district's flags (auditors only) or its district's status stream. None for an event with no audience.
    /// </summary>
    public static IEnumerable<(string Stream, DashboardEvent Event)> Of(DashboardEvent e)
    {
        if (e.AuditorsOnly) return [(Flags(e.DistrictCode), e)];
        if (e.Agencies.Length > 0) return e.Agencies.Select(agency => (Agency(agency), e with { Agencies = [agency] }));
        return e.DistrictCode is { } code ? [(District(code), e)] : [];
    }

    /// <summary>An event named <paramref name="name"/> addressed to the audience of <paramref name="stream"/> (a heartbeat).</summary>
    public static DashboardEvent Addressed(string stream, string name, string payloadJson, DateTimeOffset at)
    {
        if (stream.StartsWith(AgencyPrefix, StringComparison.Ordinal)) return new DashboardEvent(name, null, null, [stream[AgencyPrefix.Length..]], payloadJson, at);
        if (stream == AllFlags) return new DashboardEvent(name, null, null, [], payloadJson, at, AuditorsOnly: true);
        if (stream.StartsWith(FlagsPrefix, StringComparison.Ordinal)) return new DashboardEvent(name, null, stream[FlagsPrefix.Length..], [], payloadJson, at, AuditorsOnly: true);
        if (stream.StartsWith(DistrictPrefix, StringComparison.Ordinal)) return new DashboardEvent(name, null, stream[DistrictPrefix.Length..], [], payloadJson, at);
        throw new ArgumentException($"'{stream}' is not an event stream.", nameof(stream));
    }
}
