using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// A signed statement, in the manner of a signed tree head: "my shard <see cref="Shard"/> ended at position
/// <see cref="Seq"/> with hash <see cref="EntryHash"/>, and these were the latest signed heads of the other shards I know
/// (<see cref="Links"/>)". Checkpoints of one <see cref="Chain"/> (one node's checkpointer) are numbered from 1 and each
/// names the hash of the one before, so a removed or altered checkpoint breaks the chain; the signature makes them
/// unforgeable without the private key. Format 1 (no shard, no links) vouched for the one chain that is now the legacy shard.
/// </summary>
public sealed record AuditCheckpoint(
    string Chain,
    long Number,
    string KeyId,
    long Seq,
    string EntryHash,
    string PreviousHash,
    DateTimeOffset SignedAt,
    string Signature,
    string? Shard = null,
    IReadOnlyList<ShardHead>? Links = null)
{
    private const string Format1 = "safetynet-audit-checkpoint/1";
    private const string Format2 = "safetynet-audit-checkpoint/2";

    /// <summary>The first bytes of every checkpoint payload; nothing else this key signs may start with them.</summary>
    internal static ReadOnlySpan<byte> FormatBytes => "safetynet-audit-checkpoint/"u8;

    /// <summary>
    /// The exact bytes that are signed (ECDSA P-256, SHA-256), one field a line, then for format 2 one line per linked head
    /// ("link shard seq hash"); docs/architecture.md shows how to check them with openssl.
    /// </summary>
    public byte[] Payload()
    {
        string[] fields = Shard is null
            ? [Format1, Chain, Number.ToString(CultureInfo.InvariantCulture), KeyId, Seq.ToString(CultureInfo.InvariantCulture),
                EntryHash, PreviousHash, AuditChain.Timestamp(SignedAt)]
            : [Format2, Chain, Number.ToString(CultureInfo.InvariantCulture), KeyId, Shard, Seq.ToString(CultureInfo.InvariantCulture),
                EntryHash, PreviousHash, AuditChain.Timestamp(SignedAt),
                .. (Links ?? []).Select(l => $"link {l.Shard} {l.Seq.ToString(CultureInfo.InvariantCulture)} {l.Hash}")];
        return Encoding.UTF8.GetBytes(string.Join('\n', fields) + "\n");
    }

    /// <summary>What the next checkpoint of the chain names as <see cref="PreviousHash"/>.</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Payload()));

    /// <summary>Same checkpoint, same signed content (signatures are randomised, so two honest copies carry the same one).</summary>
    public bool SameAs(AuditCheckpoint other) => Payload().AsSpan().SequenceEqual(other.Payload()) && Signature == other.Signature;

    /// <summary>The head of the checkpoint's own shard, then the heads it links.</summary>
    public IEnumerable<ShardHead> Heads() => [new ShardHead(Shard ?? AuditRecord.LegacyShard, Seq, EntryHash), .. Links ?? []];

    [JsonIgnore]
    public string Name => $"checkpoint #{Number} of chain {Chain}";
}
