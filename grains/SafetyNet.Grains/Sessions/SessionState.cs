using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Sessions;

namespace SafetyNet.Grains.Sessions;

[GenerateSerializer, Alias("session-state")]
public sealed class SessionState
{
    [Id(0)] public SessionInfo? Info { get; set; }

    /// <summary>The agency as it was at the last start or heartbeat; decisions use it without another hop.</summary>
    [Id(1)] public AgencyInfo? Agency { get; set; }

    /// <summary>Stream leases this session holds; they end with it.</summary>
    [Id(2)] public HashSet<string> Leases { get; set; } = new(StringComparer.Ordinal);
}
