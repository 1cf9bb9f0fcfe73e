using System.ComponentModel.DataAnnotations;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Audit.Archive;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Grains;

/// <summary>The pure parts of retention: which rows go to which month, and what verify names when an archive file is touched.</summary>
public sealed class LedgerArchiveFileTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private readonly CheckpointSigner _signer = new(ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private readonly CheckpointKeyRing _ring;
    private readonly string _directory = Directory.CreateTempSubdirectory("safetynet-archive-").FullName;

    public LedgerArchiveFileTests() => _ring = new CheckpointKeyRing([_signer.PublicKey]);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Whole_months_before_the_period_are_archived_and_a_step_back_in_time_stays_in_the_later_month()
    {
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), ArchiveMonths.Cutoff(Now, TimeSpan.FromDays(730)));
        var months = new ArchiveMonths(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal("2026-01", months.MonthOf(new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2026-02", months.MonthOf(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2026-02", months.MonthOf(new DateTimeOffset(2026, 1, 20, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2026-03", months.MonthOf(new DateTimeOffset(2026, 3, 31, 23, 59, 59, TimeSpan.Zero)));
        Assert.Null(months.MonthOf(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Null(months.MonthOf(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_period_under_a_year_is_refused_unless_explicitly_allowed()
    {
        var options = new RetentionOptions { ArchiveDirectory = _directory, LedgerPeriod = TimeSpan.FromDays(30) };
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains("legal minimum", Assert.Single(results).ErrorMessage);
        options.AllowPeriodBelowLegalMinimum = true;
        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
        Assert.Equal(TimeSpan.FromDays(730), new RetentionOptions().LedgerPeriod);
    }

    [Fact]
    public void Archives_and_live_rows_verify_as_one_chain()
    {
        var (ranges, live) = Archive(rowsPerMonth: 5, months: 3, liveRows: 4);
        var result = Verify(ranges, live);
        Assert.True(result.Intact, result.Problem);
        Assert.Equal(19, result.RecordsChecked);
    }

    [Fact]
    public void A_flipped_byte_in_an_archive_is_named_by_its_file()
    {
        var (ranges, live) = Archive(rowsPerMonth: 5, months: 3, liveRows: 4);
        var path = Path.Combine(_directory, ranges[1].File);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var result = Verify(ranges, live);
        Assert.False(result.Intact);
        Assert.Equal(6, result.FirstBrokenSeq);
        Assert.Contains($"{ranges[1].File} was altered", result.Problem);
    }

    [Fact]
    public void Reordered_rows_with_a_recomputed_checksum_fail_on_the_manifest_signature_and_then_on_the_row()
    {
        var (ranges, live) = Archive(rowsPerMonth: 5, months: 2, liveRows: 1);
        var path = Path.Combine(_directory, ranges[0].File);
        var lines = ArchivedLedger.ReadRows(path).Select(r => System.Text.Json.JsonSerializer.Serialize(r, TestNode.Json)).ToList();
        (lines[1], lines[2]) = (lines[2], lines[1]);
        using (var zip = new GZipStream(File.Create(path), CompressionLevel.Optimal))
            zip.Write(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
        var manifestPath = path + ArchiveManifest.Suffix;
        var manifest = System.Text.Json.JsonSerializer.Deserialize<ArchiveManifest>(File.ReadAllText(manifestPath), TestNode.Json)!;
        string sha;
        using (var file = File.OpenRead(path)) sha = Convert.ToHexStringLower(SHA256.HashData(file));
        File.WriteAllText(manifestPath, System.Text.Json.JsonSerializer.Serialize(manifest with { Sha256 = sha }, TestNode.Json));
        Assert.Contains("bad signature", Verify(ranges, live).Problem);

        File.WriteAllText(manifestPath, System.Text.Json.JsonSerializer.Serialize(
            ArchiveManifest.Signed(_signer, manifest.File, manifest.Month, manifest.FirstSeq, manifest.LastSeq, manifest.FirstPrevHash, manifest.LastHash, manifest.Rows, sha, Now),
            TestNode.Json));
        var reordered = Verify(ranges, live);
        Assert.Equal(2, reordered.FirstBrokenSeq);
        Assert.Equal($"In archive file {ranges[0].File}: Row 2 of shard legacy is missing (the shard's next row is 3, row id 3).", reordered.Problem);
    }

    [Fact]
    public void A_deleted_archive_is_named_and_so_is_a_horizon_moved_past_the_archives()
    {
        var (ranges, live) = Archive(rowsPerMonth: 5, months: 3, liveRows: 4);
        File.Delete(Path.Combine(_directory, ranges[1].File));
        Assert.Contains($"{ranges[1].File} (rows 6–10, {ranges[1].Month}) is missing", Verify(ranges, live).Problem);
        File.Delete(Path.Combine(_directory, ranges[1].File + ArchiveManifest.Suffix));
        var gone = Verify(ranges, live);
        Assert.Equal(6, gone.FirstBrokenSeq);
        Assert.Contains($"Rows 6–10 are neither in a signed archive", gone.Problem);
        Assert.Contains(ranges[1].File, gone.Problem);

        var (intact, rest) = Archive(rowsPerMonth: 5, months: 1, liveRows: 6);
        var moved = Verify([.. intact, new ArchivedRange(6, 8, "2026-05", "audit-archive-forged.jsonl.gz", rest[2].Hash, "")], rest.Skip(3).ToList());
        Assert.Equal(6, moved.FirstBrokenSeq);
        Assert.Contains("Rows 6–8 are neither in a signed archive", moved.Problem);
    }

    /// <summary>A chain of whole months (one a month from January 2026) archived through the real writer, then live rows.</summary>
    private (List<ArchivedRange> Ranges, List<AuditRecord> Live) Archive(int rowsPerMonth, int months, int liveRows)
    {
        foreach (var file in Directory.EnumerateFiles(_directory)) File.Delete(file);
        var records = new List<AuditRecord>();
        var previous = AuditChain.GenesisHash;
        for (var i = 0; i < rowsPerMonth * months + liveRows; i++)
        {
            var at = i < rowsPerMonth * months ? new DateTimeOffset(2026, 1 + i / rowsPerMonth, 2, 0, 0, 0, TimeSpan.Zero).AddHours(i) : Now;
            var entry = new AuditEntry(at, AuditKinds.View, "allow", CameraId: $"cam-{i}", DistrictCode: "11020");
            var hash = AuditChain.Hash(previous, i + 1, entry);
            records.Add(new AuditRecord(i + 1, entry, previous, hash));
            previous = hash;
        }
        var ranges = new List<ArchivedRange>();
        for (var m = 0; m < months; m++)
        {
            var rows = records.Skip(m * rowsPerMonth).Take(rowsPerMonth).ToList();
            using var writer = ArchiveFileWriter.Begin(_directory, ArchiveMonths.Name(rows[0].Entry.OccurredAt), rows[0]);
            foreach (var row in rows.Skip(1)) writer.Add(row);
            var manifest = writer.Complete(_signer, Now);
            ranges.Add(new ArchivedRange(manifest.FirstSeq, manifest.LastSeq, manifest.Month, manifest.File, manifest.LastHash, manifest.Sha256));
        }
        return (ranges, records.Skip(rowsPerMonth * months).ToList());
    }

    private ChainVerification Verify(IReadOnlyList<ArchivedRange> ranges, IReadOnlyList<AuditRecord> live)
    {
        var verifier = new LedgerVerifier(_ring, new WitnessContent([], []), []);
        if (ArchivedLedger.Feed(verifier, _directory, _ring, ranges))
            foreach (var record in live)
                if (!verifier.Observe(record)) break;
        ShardHead head = live.Count > 0 ? new(AuditRecord.LegacyShard, live[^1].Seq, live[^1].Hash) : new(AuditRecord.LegacyShard, ranges[^1].LastSeq, ranges[^1].LastHash);
        return verifier.Finish([head]);
    }
}
