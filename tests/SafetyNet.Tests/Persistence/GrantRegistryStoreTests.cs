using SafetyNet.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using SafetyNet.Contracts.Access;
using SafetyNet.Grains.Access;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Tests.Persistence;

/// <summary>The grant registries' rows on both databases: a change writes only the grants it names, deletes those gone, and the version.</summary>
public sealed class GrantRegistryStoreTests
{
    [Fact]
    public Task On_sqlite() => StoreDatabases.OnSqliteAsync("registry", ExerciseAsync);

    [Fact]
    public Task On_postgres() => StoreDatabases.OnPostgresAsync(ExerciseAsync);

    private static async Task ExerciseAsync(SafetyNetDatabase database)
    {
        var store = new GrantRegistryStore(database, ReachableDatabase.Guard, TestStateKey.Seal, ReachableDatabase.Metrics,
            NullLogger<GrantRegistryStore>.Instance);
        var now = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
        const string Registry = "11020:4158:12701";

        var never = await store.LoadAsync(Registry);
        Assert.Empty(never.Grants);
        Assert.Equal(0, never.Version);

        var state = new GrantRegistryState();
        var coverage = new GrantCoverage(state);
        var police = Grant("g-police", now, "11020-00001", "11020-00002");
        coverage.Issue(police);
        coverage.Issue(Grant("g-112", now, "11020-00001") with { Unmasked = true, Priority = 1 });
        state.Version = 1;
        await store.SaveAsync(Registry, state, ["g-police", "g-112"]);
        // Another registry's rows are its own.
        await store.SaveAsync("11010:4160:12699", new GrantRegistryState { Version = 7 }, []);

        // Shortened on one camera and written; the other grant changes in memory but is not named, so its row stays as it was.
        coverage.Shorten(police, ["11020-00002"], now.AddMinutes(5));
        coverage.Reprioritise("g-112", 3);
        state.Version = 2;
        await store.SaveAsync(Registry, state, ["g-police"]);
        var loaded = await store.LoadAsync(Registry);
        Assert.Equal(2, loaded.Version);
        Assert.Equal(["g-112", "g-police"], loaded.Grants.Keys.Order());
        Assert.Equal(now.AddMinutes(5), loaded.Grants["g-police"].Until["11020-00002"]);
        Assert.Equal(now.AddMinutes(30), loaded.Grants["g-police"].Until["11020-00001"]);
        Assert.Equal(1, loaded.Grants["g-112"].Grant.Priority);
        Assert.True(loaded.Grants["g-112"].Grant.Unmasked);
        Assert.Equal(AccessPurpose.EmergencyResponse, loaded.Grants["g-112"].Grant.Purpose);
        Assert.Empty(loaded.Grants["g-112"].Grant.CameraIds);

        // A revoked grant named in a change is deleted.
        coverage.Revoke("g-police");
        state.Version = 3;
        await store.SaveAsync(Registry, state, ["g-police"]);
        loaded = await store.LoadAsync(Registry);
        Assert.Equal(["g-112"], loaded.Grants.Keys);
        Assert.Equal(3, loaded.Version);
        Assert.Equal(7, (await store.LoadAsync("11010:4160:12699")).Version);

        // A withdrawn grant is kept as a row that holds on no camera, so an issue after a reload is still refused.
        var withdrawn = Grant("g-withdrawn", now, "11020-00003");
        coverage.Withdraw(withdrawn);
        state.Version = 4;
        await store.SaveAsync(Registry, state, ["g-withdrawn"]);
        loaded = await store.LoadAsync(Registry);
        Assert.True(loaded.Grants["g-withdrawn"].Withdrawn);
        Assert.Empty(loaded.Grants["g-withdrawn"].Until);
        Assert.Empty(new GrantCoverage(loaded).Issue(withdrawn));
    }

    internal static AccessGrant Grant(string id, DateTimeOffset now, params string[] cameras) =>
        new(id, "police-jung", AccessPurpose.EmergencyResponse, "inc-1", now, now.AddMinutes(30), cameras, Priority: 2);
}
