using System.Globalization;
using System.Text;

namespace SafetyNet.Grains.Audit.Archive;

/// <summary>
/// The signed description of one archive file: which rows it holds (first and last seq, the hash the first row links to,
/// the last row's hash, the count) and the SHA-256 of the compressed file, signed with a node's checkpoint key so the
/// same key ring that authenticates checkpoints authenticates archives. Stored next to the file as {file}.manifest.json.
/// </summary>
public sealed record ArchiveManifest(
    string File,
    string Month,
    long FirstSeq,
    long LastSeq,
    string FirstPrevHash,
    string LastHash,
    long Rows,
    string Sha256,
    string KeyId,
    DateTimeOffset SignedAt,
    string Signature)
{
    private const string Format = "safetynet-audit-archive/1";
    public const string Suffix = ".manifest.json";

    /// <summary>The exact bytes that are signed (ECDSA P-256, SHA-256), one field a line, like a checkpoint's.</summary>
    public byte[] Payload() => Encoding.UTF8.GetBytes(string.Join('\n',
        Format, File, Month, FirstSeq.ToString(CultureInfo.InvariantCulture), LastSeq.ToString(CultureInfo.InvariantCulture), FirstPrevHash, LastHash,
        Rows.ToString(CultureInfo.InvariantCulture), Sha256, KeyId, AuditChain.Timestamp(SignedAt)) + "\n");

    public static ArchiveManifest Signed(CheckpointSigner signer, string file, string month, long firstSeq, long lastSeq, string firstPrevHash,
        string lastHash, long rows, string sha256, DateTimeOffset now)
    {
        var unsigned = new ArchiveManifest(file, month, firstSeq, lastSeq, firstPrevHash, lastHash, rows, sha256, signer.PublicKey.KeyId,
            AuditChain.Truncate(now), "");
        return unsigned with { Signature = signer.Sign(unsigned.Payload()) };
    }

    /// <summary>Archive files are named by month and first row, so a rerun after a crash rewrites the same name.</summary>
    public static string FileName(string month, long firstSeq) =>
        string.Create(CultureInfo.InvariantCulture, $"audit-archive-{month}-{firstSeq:D12}.jsonl.gz");
}
