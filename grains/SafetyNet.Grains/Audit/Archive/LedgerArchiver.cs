using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit.Archive;

/// <summary>
/// One archive run: the rows after the horizon whose month is wholly older than the retention period are checked (links
/// and hashes), written month by month to signed files, then recorded in audit_archive and removed from the live table in
/// one transaction, and the run is itself written to the ledger. Safe to repeat: a crash before the commit leaves files
/// that the next run rewrites with the same names; a run that loses the race to another commits nothing.
/// </summary>
public sealed class LedgerArchiver(
    AuditStore ledger,
    ArchiveStore archives,
    CheckpointSigner signer,
    IAuditLedger audit,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<LedgerArchiver> logger)
{
    public async Task<LedgerArchiveResult> ArchiveAsync(CancellationToken cancellationToken = default)
    {
        var directory = Path.GetFullPath(options.Value.ArchiveDirectory);
        RemoveTornFiles(directory);
        var now = clock.GetUtcNow();
        var months = new ArchiveMonths(ArchiveMonths.Cutoff(now, options.Value.LedgerPeriod));
        var (horizon, _) = await ledger.ReadArchiveHorizonAsync(cancellationToken);

        var written = new List<ArchiveManifest>();
        ArchiveFileWriter? current = null;
        try
        {
            // Each shard's rows must follow each other; where a shard's run starts, its link to archived rows is verify's to check.
            var shardEnds = new Dictionary<string, (long Position, string Hash)>();
            await foreach (var record in ledger.ReadChainAsync(horizon, long.MaxValue, cancellationToken))
            {
                var follows = !shardEnds.TryGetValue(record.ShardId, out var end) || (record.Position == end.Position + 1 && record.PrevHash == end.Hash);
                if (!follows || !AuditChain.Matches(record.PrevHash, record.Position, record.Entry, record.Hash))
                    throw new InvalidOperationException($"Audit row {record.Position} of shard {record.ShardId} (row id {record.Seq}) does not follow from the row before it; nothing is archived until GET /api/v1/audit/verify passes.");
                shardEnds[record.ShardId] = (record.Position, record.Hash);
                if (months.MonthOf(record.Entry.OccurredAt) is not { } month) break;
                if (current?.Month == month)
                {
                    current.Add(record);
                    continue;
                }
                if (current is not null) written.Add(current.Complete(signer, now));
                current?.Dispose();
                current = ArchiveFileWriter.Begin(directory, month, record);
            }
            if (current is not null) written.Add(current.Complete(signer, now));
        }
        finally
        {
            current?.Dispose();
        }
        if (written.Count == 0) return LedgerArchiveResult.Nothing(horizon);

        await archives.CommitAsync(written, now, cancellationToken);
        var result = new LedgerArchiveResult(written[0].FirstSeq, written[^1].LastSeq, written.Sum(m => m.Rows), written.Select(m => m.File).ToArray());
        logger.LogInformation("Archived audit rows {First}–{Last} ({Rows} rows) to {Files} in {Directory}", result.FirstSeq, result.LastSeq, result.Rows,
            string.Join(", ", result.Files), directory);
        await audit.AppendAsync(new AuditEntry(now, AuditKinds.LedgerArchived, Actor: "retention",
            Reason: string.Create(CultureInfo.InvariantCulture, $"rows {result.FirstSeq}-{result.LastSeq} older than {options.Value.LedgerPeriod}"),
            Details: JsonSerializer.Serialize(new { result.FirstSeq, result.LastSeq, result.Rows, months = written.Select(m => new { m.Month, m.File, m.Sha256 }) }, ArchiveJson.Options)));
        return result;
    }

    /// <summary>Temporary files a crashed run left behind (never a finished archive: those are renamed into place whole).</summary>
    private static void RemoveTornFiles(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var torn in Directory.EnumerateFiles(directory, "*.tmp").Where(f => Path.GetFileName(f).Contains("audit-archive-", StringComparison.Ordinal)))
            File.Delete(torn);
    }
}
