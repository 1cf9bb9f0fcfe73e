using System.Security.Cryptography;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// This node's shard of the ledger, named like its checkpoint chain: the witness says where the node's chain stands
/// (<see cref="Tip"/>, its newest authentic checkpoint), so a restarted node continues its own shard and its own chain;
/// a node without a witness starts a new chain and a new shard.
/// </summary>
public sealed class LedgerShard(string id, AuditCheckpoint? tip = null)
{
    public string Id { get; } = id;

    public AuditCheckpoint? Tip { get; } = tip;

    public static LedgerShard Resume(CheckpointWitness witness, CheckpointKeys keys)
    {
        // Newest first, so that normally one signature is checked, however long the witness has grown.
        var own = witness.Read().Checkpoints
            .Where(c => c.KeyId == keys.Signer.PublicKey.KeyId)
            .OrderByDescending(c => (c.SignedAt, c.Number))
            .FirstOrDefault(keys.Ring.IsAuthentic);
        return new LedgerShard(own?.Chain ?? New().Id, own);
    }

    public static LedgerShard New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
}
