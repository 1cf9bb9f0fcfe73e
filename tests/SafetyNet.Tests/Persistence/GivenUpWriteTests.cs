using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Access;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Cluster;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Persistence;

/// <summary>
/// A grant written while the node learns that its database is out of reach is given up, and its caller (an incident's
/// opening) is told it failed and goes on as if it was never issued. If the write could still commit once the database
/// answered again, an agency would hold access to cameras for an incident that never opened, until the grant's expiry.
/// </summary>
public sealed class GivenUpWriteTests
{
    private const string Registry = "11020:4158:12701";
    private const string Writer = "given-up-write";

    [Fact]
    public async Task A_grant_registry_write_given_up_is_not_committed_when_the_database_answers_again()
    {
        await using var database = await TestDatabase.CreateAsync();
        var direct = new SafetyNetDatabase(DatabaseProvider.Postgres, database.ConnectionString);
        await new SchemaMigrator(direct, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        var reachability = new OutageSwitch();
        var store = new GrantRegistryStore(new SafetyNetDatabase(DatabaseProvider.Postgres,
            new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = Writer }.ToString()), new DatabaseOutageGuard(reachability, ReachableDatabase.Metrics),
            TestStateKey.Seal, ReachableDatabase.Metrics, NullLogger<GrantRegistryStore>.Instance);

        // Another session holds the registry's row, so the write waits inside its transaction as it would on a silent server.
        await using var blocker = await direct.OpenAsync();
        await using var holding = await blocker.BeginTransactionAsync();
        await SafetyNetDatabase.ExecuteAsync(blocker, $"INSERT INTO grant_registry_head (registry, version) VALUES ('{Registry}', 0)", transaction: holding);
        var state = new GrantRegistryState { Version = 1 };
        new GrantCoverage(state).Issue(GrantRegistryStoreTests.Grant("g-never-opened", DateTimeOffset.UtcNow, "11020-00001"));
        var write = store.SaveAsync(Registry, state, ["g-never-opened"]);
        await Eventually.WaitAsync(() => database.ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{Writer}' AND wait_event_type = 'Lock'"),
            waiting => waiting == 1, TimeSpan.FromSeconds(30), "the write to wait for the registry's row");

        reachability.Begin();
        var refused = await Assert.ThrowsAsync<DomainException>(() => write);
        Assert.Equal(DomainErrorKind.DatabaseUnreachable, refused.Kind);

        // The database answers again: the row is free, and the write given up ends (its connection closes) without a commit.
        await holding.RollbackAsync();
        await Eventually.WaitAsync(() => database.ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{Writer}'"),
            sessions => sessions == 0, TimeSpan.FromSeconds(30), "the write given up to end");
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM grant_registry_grant WHERE registry = '{Registry}'"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM grant_registry_head WHERE registry = '{Registry}'"));
    }

    /// <summary>The node's knowledge of an outage, switched by the test.</summary>
    private sealed class OutageSwitch : IDatabaseReachability
    {
        private readonly TaskCompletionSource _begins = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset? DatabaseUnreachableSince { get; private set; }

        public Task OutageBegins => _begins.Task;

        public TimeSpan ProbeAfter => Timeout.InfiniteTimeSpan;

        public void RequestProbe()
        {
        }

        public void Begin()
        {
            DatabaseUnreachableSince = DateTimeOffset.UtcNow;
            _begins.SetResult();
        }
    }
}
