using System.Security.Cryptography;

namespace SafetyNet.Grains.Audit;

/// <summary>One ECDSA P-256 public key and its id: the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo.</summary>
public sealed record CheckpointPublicKey(string KeyId, string Pem, ECDsa Key)
{
    public static CheckpointPublicKey FromPem(string pem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return From(key);
    }

    public static CheckpointPublicKey From(ECDsa key)
    {
        if (key.KeySize != 256) throw new CryptographicException($"Signing keys are ECDSA P-256; this key has {key.KeySize} bits.");
        var spki = key.ExportSubjectPublicKeyInfo();
        var publicOnly = ECDsa.Create();
        publicOnly.ImportSubjectPublicKeyInfo(spki, out _);
        return new CheckpointPublicKey(Convert.ToHexStringLower(SHA256.HashData(spki))[..16], publicOnly.ExportSubjectPublicKeyInfoPem(), publicOnly);
    }
}

/// <summary>The public keys whose checkpoints this node believes. They come from files, never from the database.</summary>
public sealed class CheckpointKeyRing(IEnumerable<CheckpointPublicKey> keys)
{
    private readonly Dictionary<string, CheckpointPublicKey> _keys = keys.DistinctBy(k => k.KeyId).ToDictionary(k => k.KeyId);

    public IReadOnlyCollection<CheckpointPublicKey> Keys => _keys.Values;

    public bool Trusts(string keyId) => _keys.ContainsKey(keyId);

    /// <summary>True only for a checkpoint signed by a trusted key over exactly its content.</summary>
    public bool IsAuthentic(AuditCheckpoint checkpoint) => Verifies(checkpoint.KeyId, checkpoint.Payload(), checkpoint.Signature);

    /// <summary>True only when a trusted key <paramref name="keyId"/> made <paramref name="signature"/> (base64 DER) over exactly <paramref name="payload"/>.</summary>
    public bool Verifies(string keyId, byte[] payload, string signature)
    {
        if (!_keys.TryGetValue(keyId, out var key)) return false;
        byte[] der;
        try { der = Convert.FromBase64String(signature); }
        catch (FormatException) { return false; }
        return key.Key.VerifyData(payload, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }
}
