using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// The audit writer on PostgreSQL when the server drops its connection between two batches (a restart, a failover, an
/// administrator's terminate): the next batch is written on a new connection, once, and its callers never see the drop.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class PostgresAuditWriterReconnectTests
{
    [Fact]
    public async Task A_batch_after_the_server_dropped_the_writers_connection_is_written_once_on_a_new_one()
    {
        await using var test = await TestDatabase.CreateAsync();
        var database = new SafetyNetDatabase(DatabaseProvider.Postgres, test.ConnectionString);
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        var shard = LedgerShard.New();
        var logger = new FakeLogger<AuditWriter>();
        await using var writer = new AuditWriter(database, shard, logger);
        await writer.AppendBatchAsync(Entries(3), CancellationToken.None);

        Assert.Equal(1, await test.DropConnectionsAsync());
        await writer.AppendBatchAsync(Entries(2), CancellationToken.None);

        Assert.Equal((0L, 5L, null), (writer.Written!.Base.Seq, writer.Written.Head.Seq, writer.Written.LeftAt));
        Assert.Equal(5, await test.ScalarAsync($"SELECT COUNT(*) FROM audit_ledger WHERE shard = '{shard.Id}'"));
        Assert.Equal(5, await test.ScalarAsync($"SELECT last_seq FROM audit_shard_head WHERE shard = '{shard.Id}'"));
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("trying once more"));
        var verified = await LedgerVerification.VerifyAsync(new AuditStore(database), new CheckpointStore(database), new CheckpointKeyRing([]), new WitnessContent([], []), archiveDirectory: null);
        Assert.True(verified.Intact, verified.Problem);
        Assert.Equal(5, verified.RecordsChecked);
    }

    private static List<AuditEntry> Entries(int count) => Enumerable.Range(0, count)
        .Select(i => new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.View, "allow", CameraId: $"11020-{i + 1:D5}", AgencyId: "police-jung"))
        .ToList();
}
