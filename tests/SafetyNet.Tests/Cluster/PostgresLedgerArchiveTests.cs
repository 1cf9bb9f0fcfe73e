using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Audit.Archive;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Tests.Cluster;

/// <summary>Retention on PostgreSQL: the archiver's controlled delete passes the triggers, any other delete does not, and verify spans archives + live.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class PostgresLedgerArchiveTests
{
    [Fact]
    public async Task Old_months_are_archived_and_verify_spans_archives_and_live_rows()
    {
        await using var test = await TestDatabase.CreateAsync();
        var archive = Directory.CreateTempSubdirectory("safetynet-pg-archive-").FullName;
        try
        {
            var database = new SafetyNetDatabase(DatabaseProvider.Postgres, test.ConnectionString);
            await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
            var now = DateTimeOffset.UtcNow;
            await using var writer = new AuditWriter(database, LedgerShard.New(), NullLogger<AuditWriter>.Instance);
            await writer.AppendBatchAsync([.. Enumerable.Range(0, 9).Select(i => new AuditEntry(now.AddMonths(-4 + i / 3), AuditKinds.View, "allow", CameraId: $"cam-{i}")),
                new AuditEntry(now, AuditKinds.View, "allow", CameraId: "cam-live")], CancellationToken.None);
            var signer = new CheckpointSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
            var store = new AuditStore(database);
            var options = Options.Create(new RetentionOptions { ArchiveDirectory = archive, LedgerPeriod = TimeSpan.FromDays(1), AllowPeriodBelowLegalMinimum = true });
            var archiver = new LedgerArchiver(store, new ArchiveStore(database), signer, new WriterLedger(writer), options, TimeProvider.System,
                NullLogger<LedgerArchiver>.Instance);

            var result = await archiver.ArchiveAsync();
            Assert.Equal((1, 9, 3), (result.FirstSeq, result.LastSeq, result.Files.Length));
            Assert.Equal(0, (await archiver.ArchiveAsync()).Rows);
            Assert.Equal(2, await test.ScalarAsync("SELECT COUNT(*) FROM audit_ledger"));
            await Assert.ThrowsAsync<PostgresException>(() => test.ScalarAsync("DELETE FROM audit_ledger WHERE seq = 10"));

            var ring = new CheckpointKeyRing([signer.PublicKey]);
            var verified = await LedgerVerification.VerifyAsync(store, new CheckpointStore(database), ring, new WitnessContent([], []), archive);
            Assert.True(verified.Intact, verified.Problem);
            Assert.Equal(11, verified.RecordsChecked);

            File.Delete(Path.Combine(archive, result.Files[0]));
            var missing = await LedgerVerification.VerifyAsync(store, new CheckpointStore(database), ring, new WitnessContent([], []), archive);
            Assert.Equal(1, missing.FirstBrokenSeq);
            Assert.Contains(result.Files[0], missing.Problem);
        }
        finally
        {
            Directory.Delete(archive, recursive: true);
        }
    }

    /// <summary>The archiver's own ledger entry goes through the real writer (a node would queue it through AuditLedger).</summary>
    private sealed class WriterLedger(AuditWriter writer) : IAuditLedger
    {
        public Task AppendAsync(AuditEntry entry) => writer.AppendBatchAsync([entry], CancellationToken.None);

        public Task AppendManyAsync(IReadOnlyCollection<AuditEntry> entries) => writer.AppendBatchAsync([.. entries], CancellationToken.None);
    }
}
