using System.Security.Cryptography;

namespace SafetyNet.Grains.Audit;

/// <summary>Signs checkpoints with this node's private key (DER-encoded ECDSA P-256 over SHA-256, as openssl writes and reads them).</summary>
public sealed class CheckpointSigner(ECDsa privateKey)
{
    public CheckpointPublicKey PublicKey { get; } = CheckpointPublicKey.From(privateKey);

    /// <summary>
    /// The checkpoint that follows <paramref name="previous"/> (or starts <paramref name="chain"/>), vouching for the head of
    /// its own shard (named like the chain) and linking <paramref name="links"/>.
    /// </summary>
    public AuditCheckpoint Next(string chain, AuditCheckpoint? previous, ShardHead own, IReadOnlyList<ShardHead> links, DateTimeOffset now)
    {
        var unsigned = new AuditCheckpoint(chain, (previous?.Number ?? 0) + 1, PublicKey.KeyId, own.Seq, own.Hash,
            previous?.Hash() ?? AuditChain.GenesisHash, AuditChain.Truncate(now), "", own.Shard, links);
        return unsigned with { Signature = Sign(unsigned.Payload()) };
    }

    /// <summary>
    /// Signs a review report's bytes with the same key, so one published key verifies both. A checkpoint's signed bytes
    /// start with its format line; a document that did could pass for a checkpoint, so it is refused.
    /// </summary>
    public byte[] SignDocument(byte[] document)
    {
        if (document.AsSpan().StartsWith(AuditCheckpoint.FormatBytes))
            throw new ArgumentException("A document that begins like an audit checkpoint is not signed.", nameof(document));
        return privateKey.SignData(document, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Base64 DER signature over <paramref name="payload"/>; archive manifests are signed this way too.</summary>
    public string Sign(byte[] payload) =>
        Convert.ToBase64String(privateKey.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
}
