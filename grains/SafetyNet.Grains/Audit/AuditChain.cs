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
public static class AuditChain
{
    public static readonly string GenesisHash = new('0', 64);

    public static string Genesis(string shard) => shard == AuditRecord.LegacyShard
        ? GenesisHash
        : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("safetynet-audit-shard/1\n" + shard)));

    /// <remarks>
    /// District, purpose and justification joined the ledger later; they are hashed only when one is present, so rows
    /// written before them keep their hashes and rows after are covered.
    /// </remarks>
    public static string Hash(string previousHash, long seq, AuditEntry e)
    {
        var canonical = string.Join('\u001f',
            previousHash,
            seq.ToString(CultureInfo.InvariantCulture),
            Timestamp(e.OccurredAt),
            e.Kind, e.Outcome, e.Reason, e.CameraId, e.AgencyId, e.SessionId, e.IncidentId, e.Actor, e.Details);
        if (e.DistrictCode is not null || e.Purpose is not null || e.Justification is not null)
            canonical = string.Join('\u001f', canonical, e.DistrictCode, e.Purpose, e.Justification);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Microsecond UTC text: the precision both SQLite (as text) and PostgreSQL (timestamptz) keep exactly.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        Truncate(at).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
}
