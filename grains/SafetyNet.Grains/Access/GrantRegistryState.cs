using SafetyNet.Contracts.Access;

namespace SafetyNet.Grains.Access;

[GenerateSerializer, Alias("grant-registry-state")]
public sealed class GrantRegistryState
{
    /// <summary>Every grant on this district's cameras that has not yet ended everywhere, by grant id.</summary>
    [Id(0)] public Dictionary<string, CoveredGrant> Grants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Raised on every change, so that a camera keeps the latest of answers that arrive out of order.</summary>
    [Id(1)] public long Version { get; set; }

    /// <summary>
    /// No grant ends anywhere before this (it may be earlier than the first end); null until a pruning has looked. Kept in
    /// memory only: it lets a change skip the pruning scan while nothing can have ended.
    /// </summary>
    [field: NonSerialized]
    public DateTimeOffset? NoEndBefore { get; set; }
}

/// <summary>
/// One grant and, per camera it covers, when it ends there: a move or departure shortens it on some cameras only.
/// <see cref="Grant"/> is stored without its camera list.
/// </summary>
[GenerateSerializer, Alias("covered-grant")]
public sealed class CoveredGrant
{
    [Id(0)] public required AccessGrant Grant { get; set; }

    [Id(1)] public Dictionary<string, DateTimeOffset> Until { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The grant was withdrawn (its opening failed): it holds on no camera, and an issue that arrives after the withdrawal
    /// (a call that timed out at its caller and completed later) is ignored. Forgotten at the grant's absolute expiry.
    /// </summary>
    [Id(2)] public bool Withdrawn { get; set; }
}
