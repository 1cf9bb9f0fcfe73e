using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit;

/// <summary>Feeds the witness, the database's checkpoints, the rows and the head into <see cref="LedgerVerifier"/>.</summary>
public sealed class LedgerVerification(AuditStore ledger, CheckpointStore checkpoints, CheckpointWitness witness, CheckpointKeys keys)
{
    public async Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        // The witness is read before the database, so a checkpoint signed in between is at worst missing from the witness view.
        var witnessed = witness.Read();
        var verifier = new LedgerVerifier(keys.Ring, witnessed, await checkpoints.ReadAllAsync(cancellationToken));
        var head = await ledger.ReadSnapshotAsync(verifier.Observe, cancellationToken);
        return verifier.Finish(head?.Seq, head?.Hash);
    }

    public IReadOnlyList<CheckpointKeyInfo> Keys() =>
        keys.Ring.Keys.Select(k => new CheckpointKeyInfo(k.KeyId, "ECDSA P-256 with SHA-256 (DER signature)", k.Pem,
            k.KeyId == keys.Signer.PublicKey.KeyId)).ToList();
}
