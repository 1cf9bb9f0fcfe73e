using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Persistence;

/// <summary>
/// A writer that never pauses must not grow SQLite's write-ahead log without end: a bench run of the decision path left a
/// 9.9 GB log behind, because a passive checkpoint running beside a continuous writer never copied its last pages and
/// the log never started over. The writer now finishes each copy itself between two batches.
/// </summary>
public sealed class AuditWriteAheadLogTests
{
    [Fact]
    public async Task A_writer_that_never_pauses_still_starts_its_log_over()
    {
        SafetyNetDatabase database = null!;
        await StoreDatabases.OnSqliteAsync("wal", migrated =>
        {
            database = migrated;
            return Task.CompletedTask;
        });
        var log = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource + "-wal";
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // The writer helps the copy only past a log size (64 MB in service); here from the first page, so the test stays short.
        await using var writer = new AuditWriter(database, LedgerShard.New(), NullLogger<AuditWriter>.Instance, clock, tailCopyAboveBytes: 0);
        var batch = Enumerable.Range(0, 20).Select(i => new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.AccessDecision, "allow",
            CameraId: $"11020-{i:D5}", AgencyId: "seoul-112", SessionId: "s-1")).ToList();
        await writer.AppendBatchAsync(batch, CancellationToken.None);
        var started = CheckpointSequence(log);

        // The ledger's loop: append, answer, fold in when due; the clock says a second has passed after every tenth batch.
        using var stop = new CancellationTokenSource();
        var appended = 0;
        var writing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await writer.AppendBatchAsync(batch, CancellationToken.None);
                if (Interlocked.Increment(ref appended) % 10 == 0) clock.Advance(TimeSpan.FromSeconds(1));
                await writer.CheckpointWhenDueAsync();
            }
        });
        try
        {
            await Eventually.WaitAsync(() => Task.FromResult(CheckpointSequence(log)), sequence => sequence > started + 2, TimeSpan.FromSeconds(60),
                "the write-ahead log to start over three times while the writer keeps writing");
        }
        finally
        {
            await stop.CancelAsync();
            await writing;
        }
        Assert.True(appended > 30, $"only {appended} batches were written meanwhile");
    }

    /// <summary>The log header's checkpoint sequence number (bytes 12–15, big-endian), which SQLite raises each time the log starts over.</summary>
    private static uint CheckpointSequence(string log)
    {
        using var file = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[16];
        file.ReadExactly(header);
        return BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
    }
}
