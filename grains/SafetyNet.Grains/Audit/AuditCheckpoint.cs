using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// A signed statement "the ledger's row <see cref="Seq"/> had hash <see cref="EntryHash"/>". Checkpoints of one
/// <see cref="Chain"/> (one node's checkpointer) are numbered from 1 and each names the hash of the one before, so a
/// removed or altered checkpoint breaks the chain; the signature makes them unforgeable without the private key.
/// </summary>
public sealed record AuditCheckpoint(
    string Chain,
    long Number,
    string KeyId,
    long Seq,
    string EntryHash,
    string PreviousHash,
    DateTimeOffset SignedAt,
    string Signature)
{
    private const string Format = "safetynet-audit-checkpoint/1";

    /// <summary>The first bytes of every checkpoint payload; nothing else this key signs may start with them.</summary>
    internal static ReadOnlySpan<byte> FormatBytes => "safetynet-audit-checkpoint/1"u8;

    /// <summary>The exact bytes that are signed (ECDSA P-256, SHA-256), one field a line; docs/architecture.md shows how to check them with openssl.</summary>
    public byte[] Payload() => Encoding.UTF8.GetBytes(string.Join('\n',
        Format, Chain, Number.ToString(CultureInfo.InvariantCulture), KeyId, Seq.ToString(CultureInfo.InvariantCulture),
        EntryHash, PreviousHash, AuditChain.Timestamp(SignedAt)) + "\n");

    /// <summary>What the next checkpoint of the chain names as <see cref="PreviousHash"/>.</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Payload()));

    /// <summary>Same checkpoint, same signed content (signatures are randomised, so two honest copies carry the same one).</summary>
    public bool SameAs(AuditCheckpoint other) => Payload().AsSpan().SequenceEqual(other.Payload()) && Signature == other.Signature;

    [JsonIgnore]
    public string Name => $"checkpoint #{Number} of chain {Chain}";
}
