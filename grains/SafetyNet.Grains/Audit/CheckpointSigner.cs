using System.Security.Cryptography;

namespace SafetyNet.Grains.Audit;

/// <summary>Signs checkpoints with this node's private key (DER-encoded ECDSA P-256 over SHA-256, as openssl writes and reads them).</summary>
public sealed class CheckpointSigner(ECDsa privateKey)
{
    public CheckpointPublicKey PublicKey { get; } = CheckpointPublicKey.From(privateKey);

    /// <summary>The checkpoint that follows <paramref name="previous"/> (or starts <paramref name="chain"/>), vouching for row <paramref name="seq"/>.</summary>
    public AuditCheckpoint Next(string chain, AuditCheckpoint? previous, long seq, string entryHash, DateTimeOffset now)
    {
        var unsigned = new AuditCheckpoint(chain, (previous?.Number ?? 0) + 1, PublicKey.KeyId, seq, entryHash,
            previous?.Hash() ?? AuditChain.GenesisHash, AuditChain.Truncate(now), "");
        return unsigned with { Signature = Sign(unsigned.Payload()) };
    }

    /// <summary>Base64 DER signature over <paramref name="payload"/>; archive manifests are signed this way too.</summary>
    public string Sign(byte[] payload) =>
        Convert.ToBase64String(privateKey.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
}
