using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Grains;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// The audit writer on PostgreSQL when the server drops its connection between two batches (a restart, a failover, an
/// administrator's terminate): the next batch is written on a new connection, once, and its callers never see the drop.
/// And when the server goes silent under a batch: the ledger may give the batch up (its callers are refused) only while
/// its commit has not been sent, and a batch given up is never written, not even when the network comes back and what
/// it held back reaches the server. A server that stalls only the writer's session costs the stalled batch, not a
/// reconnect interval of refusals after it.
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

    [Fact]
    public async Task A_batch_given_up_before_its_commit_is_never_written_even_when_the_network_comes_back()
    {
        await using var test = await TestDatabase.CreateAsync();
        var (network, database) = await MigratedThroughRelayAsync(test);
        await using var _ = network;
        var shard = LedgerShard.New();
        await using var writer = new AuditWriter(database, shard, NullLogger<AuditWriter>.Instance,
            options: Options.Create(new AuditLedgerOptions { WriteTimeout = TimeSpan.FromSeconds(1) }));
        await writer.AppendBatchAsync(Entries(3), CancellationToken.None);

        network.Silence();
        var givenUp = writer.AppendBatchAsync(Entries(2), CancellationToken.None);
        Assert.True(writer.TryAbandonBatch(), "a batch on a silent server was past its commit");
        network.Speak(); // before the attempt has ended: its statements now reach the server and are answered
        await Assert.ThrowsAsync<LedgerDatabaseUnreachableException>(() => givenUp);
        await writer.ReconnectAsync(CancellationToken.None);

        Assert.Equal(3, writer.Written!.Head.Seq);
        await writer.AppendBatchAsync(Entries(1), CancellationToken.None);
        Assert.Equal(4, await test.ScalarAsync($"SELECT COUNT(*) FROM audit_ledger WHERE shard = '{shard.Id}'"));
        Assert.Equal(4, await test.ScalarAsync($"SELECT last_seq FROM audit_shard_head WHERE shard = '{shard.Id}'"));
        Assert.False(writer.TryAbandonBatch(), "a batch that was written can still be given up");
        var verified = await LedgerVerification.VerifyAsync(new AuditStore(database), new CheckpointStore(database), new CheckpointKeyRing([]), new WitnessContent([], []), archiveDirectory: null);
        Assert.True(verified.Intact, verified.Problem);
    }

    [Fact]
    public async Task A_commit_stalled_past_the_write_timeout_costs_its_own_callers_and_not_a_reconnect_interval_more()
    {
        await using var test = await TestDatabase.CreateAsync();
        var (network, database) = await MigratedThroughRelayAsync(test);
        await using var _ = network;
        var shard = LedgerShard.New();
        // An hour between reconnects: only a try made at once can end the refusals within the test's bound.
        var options = new AuditLedgerOptions { WriteTimeout = TimeSpan.FromSeconds(1), ReconnectInterval = TimeSpan.FromHours(1) };
        await using var writer = new AuditWriter(database, shard, NullLogger<AuditWriter>.Instance, options: Options.Create(options));
        await AuditLedgerFailureTests.RunAsync(writer, TimeProvider.System, async ledger =>
        {
            await ledger.AppendAsync(Entries(1)[0]);

            // The writer's session stops answering (a lock, a slow disk) while the server still takes new connections.
            network.Stall();
            var stalled = await Assert.ThrowsAsync<DomainException>(() => ledger.AppendAsync(Entries(1)[0]));
            Assert.Equal(DomainErrorKind.LedgerUnavailable, stalled.Kind);

            await Eventually.WaitAsync(() => Task.FromResult(ledger.DatabaseUnreachableSince), since => since is null,
                TimeSpan.FromSeconds(30), "the ledger to write again on a new connection");
            await ledger.AppendAsync(Entries(1)[0]);
        }, options: options);
        network.Speak();

        Assert.Equal(2, await test.ScalarAsync($"SELECT COUNT(*) FROM audit_ledger WHERE shard = '{shard.Id}'"));
        var verified = await LedgerVerification.VerifyAsync(new AuditStore(database), new CheckpointStore(database), new CheckpointKeyRing([]), new WitnessContent([], []), archiveDirectory: null);
        Assert.True(verified.Intact, verified.Problem);
    }

    /// <summary>The test database, migrated, reached through a relay that can go silent.</summary>
    private static async Task<(SilencingRelay Network, SafetyNetDatabase Database)> MigratedThroughRelayAsync(TestDatabase test)
    {
        var (network, throughRelay) = SilencingRelay.InFrontOf(test.ConnectionString);
        var database = new SafetyNetDatabase(DatabaseProvider.Postgres, throughRelay);
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        return (network, database);
    }

    private static List<AuditEntry> Entries(int count) => Enumerable.Range(0, count)
        .Select(i => new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.View, "allow", CameraId: $"11020-{i + 1:D5}", AgencyId: "police-jung"))
        .ToList();
}
