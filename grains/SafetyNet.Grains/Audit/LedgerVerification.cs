using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit.Archive;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Feeds the witness, the database's checkpoints, the archived rows, the live rows and the shard heads into
/// <see cref="LedgerVerifier"/>, then compares the search keys (SQLite's <see cref="AuditKeyIndex"/>) with the ledger.
/// </summary>
public sealed class LedgerVerification(AuditStore ledger, CheckpointStore checkpoints, CheckpointWitness witness, CheckpointKeys keys,
    IOptions<RetentionOptions> retention, IAuditLedger audit, TimeProvider clock)
{
    // The witness is read before the database, so a checkpoint signed in between is at worst missing from the witness view.
    // Search keys that disagree with the ledger are rebuilt from it at once: they could hide rows from searches.
    public async Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var result = await VerifyAsync(ledger, checkpoints, keys.Ring, witness.Read(), retention.Value.ArchiveDirectory, cancellationToken);
        if (result.SearchKeysDisagreeing is { Count: > 0 } disagreeing)
            await ledger.KeyIndex!.RepairAsync(disagreeing, "verification", audit, clock.GetUtcNow(), cancellationToken);
        return result;
    }

    /// <summary>The same check with keys, a witness and the archive directory given from outside (the offline <c>audit-verify</c> command).</summary>
    public static async Task<ChainVerification> VerifyAsync(AuditStore ledger, CheckpointStore checkpoints, CheckpointKeyRing ring, WitnessContent witnessed,
        string? archiveDirectory, CancellationToken cancellationToken = default)
    {
        var verifier = new LedgerVerifier(ring, witnessed, await checkpoints.ReadAllAsync(cancellationToken));
        var heads = await ledger.ReadSnapshotAsync(ranges => ArchivedLedger.Feed(verifier, archiveDirectory, ring, ranges), verifier.Observe, cancellationToken);
        var result = verifier.Finish(heads);
        if (ledger.KeyIndex is not { } index) return result;
        var disagreeing = await index.FindDisagreementsAsync(10, cancellationToken);
        return disagreeing.Count == 0 ? result : result with { SearchKeysDisagreeing = disagreeing };
    }

    public IReadOnlyList<CheckpointKeyInfo> Keys() =>
        keys.Ring.Keys.Select(k => new CheckpointKeyInfo(k.KeyId, "ECDSA P-256 with SHA-256 (DER signature)", k.Pem,
            k.KeyId == keys.Signer.PublicKey.KeyId)).ToList();
}
