using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// The hash chains, one per shard: each row's hash covers its own fields, its position in the shard and the previous
/// row's hash. A shard's first row links to a genesis hash derived from the shard's name, so a row cannot be moved to
/// another shard; the legacy shard (rows from before shards) starts at 64 zeros as it always did.
/// </summary>
/// <remarks>
/// A row is hashed twice on its way in (by the writer, then by the checkpointer's re-check) and once by every verify,
/// so the canonical text is written as UTF-8 straight into a stack or pooled buffer: building it as a string first was
/// a fifth of all a decision allocated.
/// </remarks>
public static class AuditChain
{
    public static readonly string GenesisHash = new('0', 64);

    private const byte Separator = 0x1f;
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
    private const int StackBufferBytes = 1024;

    public static string Genesis(string shard) => shard == AuditRecord.LegacyShard
        ? GenesisHash
        : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("safetynet-audit-shard/1\n" + shard)));

    public static string Hash(string previousHash, long seq, AuditEntry e)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Digest(previousHash, seq, e, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>Whether <paramref name="hash"/> is the hash of this row, as <see cref="Hash"/> would give it.</summary>
    public static bool Matches(string previousHash, long seq, AuditEntry e, string hash)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Digest(previousHash, seq, e, digest);
        Span<char> text = stackalloc char[SHA256.HashSizeInBytes * 2];
        Convert.TryToHexStringLower(digest, text, out _);
        return text.SequenceEqual(hash);
    }

    /// <summary>Microsecond UTC text: the precision both SQLite (as text) and PostgreSQL (timestamptz) keep exactly.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        Truncate(at).UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    /// <remarks>
    /// The canonical text is the row's fields joined by U+001F, nulls as empty. District, purpose and justification joined
    /// the ledger later; they are hashed only when one is present, so rows written before them keep their hashes and rows
    /// after are covered.
    /// </remarks>
    private static void Digest(string previousHash, long seq, AuditEntry e, Span<byte> digest)
    {
        var extended = e.DistrictCode is not null || e.Purpose is not null || e.Justification is not null;
        var maxBytes = MaxBytes(previousHash) + 2 * 32 + MaxBytes(e.Kind) + MaxBytes(e.Outcome) + MaxBytes(e.Reason) +
                       MaxBytes(e.CameraId) + MaxBytes(e.AgencyId) + MaxBytes(e.SessionId) + MaxBytes(e.IncidentId) +
                       MaxBytes(e.Actor) + MaxBytes(e.Details) + 15 +
                       (extended ? MaxBytes(e.DistrictCode) + MaxBytes(e.Purpose) + MaxBytes(e.Justification) : 0);
        byte[]? rented = null;
        var buffer = maxBytes <= StackBufferBytes ? stackalloc byte[StackBufferBytes] : rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var at = Append(buffer, 0, previousHash);
            buffer[at++] = Separator;
            seq.TryFormat(buffer[at..], out var seqBytes, default, CultureInfo.InvariantCulture);
            at += seqBytes;
            buffer[at++] = Separator;
            Truncate(e.OccurredAt).UtcDateTime.TryFormat(buffer[at..], out var timeBytes, TimestampFormat, CultureInfo.InvariantCulture);
            at += timeBytes;
            foreach (var field in (ReadOnlySpan<string?>)[e.Kind, e.Outcome, e.Reason, e.CameraId, e.AgencyId, e.SessionId, e.IncidentId, e.Actor, e.Details])
            {
                buffer[at++] = Separator;
                at = Append(buffer, at, field);
            }
            if (extended)
            {
                foreach (var field in (ReadOnlySpan<string?>)[e.DistrictCode, e.Purpose, e.Justification])
                {
                    buffer[at++] = Separator;
                    at = Append(buffer, at, field);
                }
            }
            SHA256.HashData(buffer[..at], digest);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int MaxBytes(string? text) => text is null ? 0 : Encoding.UTF8.GetMaxByteCount(text.Length);

    private static int Append(Span<byte> buffer, int at, string? text) =>
        text is null ? at : at + Encoding.UTF8.GetBytes(text, buffer[at..]);
}
