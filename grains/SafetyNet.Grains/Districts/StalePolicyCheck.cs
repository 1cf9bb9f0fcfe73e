using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Grains.Districts;

/// <summary>
/// A district's stored record holds its sharing policy, sealed as its own but not proven the newest: a record put back
/// from an older copy (a backup, a replayed row) could bring back a policy since tightened. Every policy edit is in the
/// ledger, whose entries are chained and signed, with the version it stored; a stored policy older than the ledger's
/// newest was put back. It is then not believed: the district falls back to sharing only during incidents what the old
/// record shared at all (emergencies keep their video; standing access and rewinding wait) until its admin sets the policy
/// again.
/// </summary>
public static class StalePolicyCheck
{
    /// <summary>Why the stored policy is not believed: in the ledger's entry, the log and the fallback policy (<see cref="SharingPolicy.Fallback"/>).</summary>
    public const string Reason = "policy-record-older-than-ledger";

    /// <summary>The version the ledger's newest policy edit of the district stored; null when it records none.</summary>
    public static async Task<int?> LedgerVersionAsync(IGrainFactory grains, string districtCode)
    {
        if (await grains.GetGrain<IAuditGrain>(0).NewestPolicyChangeAsync(districtCode) is not { Entry.Details: { } details }) return null;
        using var document = JsonDocument.Parse(details);
        return document.RootElement.TryGetProperty("version", out var version) && version.TryGetInt32(out var number) ? number : null;
    }

    /// <summary>What a district whose stored policy is older than the ledger's shares: the stored policy's standing cells only during incidents, no rewinding.</summary>
    public static SharingPolicy IncidentOnly(SharingPolicy stored, int ledgerVersion) =>
        SharingPolicy.Create(ledgerVersion + 1, (kind, purpose) => stored.LevelFor(kind, purpose) == SharingLevel.Standing
            ? SharingLevel.DuringIncident
            : stored.LevelFor(kind, purpose)) with { RecordedVideoKinds = [], Fallback = Reason };
}
