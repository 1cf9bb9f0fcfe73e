using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Incidents;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Tests.Persistence;

/// <summary>The incident directory's rows on both databases: references are claimed once, summaries upserted, and what is current loaded back.</summary>
public sealed class IncidentDirectoryStoreTests
{
    [Fact]
    public Task On_sqlite() => StoreDatabases.OnSqliteAsync("directory", ExerciseAsync);

    [Fact]
    public Task On_postgres() => StoreDatabases.OnPostgresAsync(ExerciseAsync);

    private static async Task ExerciseAsync(SafetyNetDatabase database)
    {
        var store = new IncidentDirectoryStore(database, ReachableDatabase.Guard);
        var now = DateTimeOffset.UtcNow;

        Assert.Equal("inc-1", await store.ClaimReferenceAsync("seoul-112", "CAD-77", "inc-1"));
        Assert.Equal("inc-1", await store.ClaimReferenceAsync("seoul-112", "CAD-77", "inc-2"));
        Assert.Equal("inc-3", await store.ClaimReferenceAsync("seoul-112", "CAD-78", "inc-3"));
        // The same number from another agency is its own key.
        Assert.Equal("inc-4", await store.ClaimReferenceAsync("seoul-119", "CAD-77", "inc-4"));
        // References claimed before scoping are kept apart, and offered only for incidents still current.
        await store.RecordUnscopedReferenceAsync("OLD-1", "inc-1");
        await store.RecordUnscopedReferenceAsync("OLD-2", "old-closed");
        await store.RecordUnscopedReferenceAsync("OLD-3", "long-open-just-closed");

        var open = Summary("inc-1", IncidentStatus.Open, now);
        await store.UpsertAllAsync([open]);
        await store.UpsertAllAsync([open with { Status = IncidentStatus.Closing, Priority = 1 }]);
        // A closed incident is current by its closing time, however long ago it opened.
        var longOpen = Summary("long-open-just-closed", IncidentStatus.Closing, now.AddDays(-3)) with { ClosedAt = now.AddHours(-30) };
        // Several incidents in one statement (the directory's group commit), closing times among them.
        await store.UpsertAllAsync([Summary("old-open", IncidentStatus.Open, now.AddDays(-3)), Summary("old-closed", IncidentStatus.Closed, now.AddDays(-3)),
            Summary("new-closed", IncidentStatus.Closed, now.AddMinutes(-5)), longOpen]);
        await store.UpsertAllAsync([longOpen with { Status = IncidentStatus.Closed, ClosedAt = now.AddMinutes(-10) },
            Summary("long-open-long-closed", IncidentStatus.Closed, now.AddDays(-3)) with { ClosedAt = now.AddHours(-25) }]);

        var current = (await store.LoadCurrentAsync(now.AddDays(-1))).ToDictionary(s => s.Id);
        Assert.Equal(["inc-1", "long-open-just-closed", "new-closed", "old-open"], current.Keys.Order());
        Assert.Equal(now.AddMinutes(-10).ToUnixTimeMilliseconds(), current["long-open-just-closed"].ClosedAt!.Value.ToUnixTimeMilliseconds());
        var reloaded = current["inc-1"];
        Assert.Equal(IncidentStatus.Closing, reloaded.Status);
        Assert.Equal(1, reloaded.Priority);
        Assert.Equal(open.Position, reloaded.Position);
        Assert.Equal(open.Agencies, reloaded.Agencies);
        Assert.Equal(open.OpenedAt, reloaded.OpenedAt);
        Assert.Equal("CAD-77", reloaded.ExternalReference);
        Assert.Equal(new Dictionary<string, string> { ["OLD-1"] = "inc-1", ["OLD-3"] = "long-open-just-closed" }, await store.LoadUnscopedReferencesAsync(now.AddDays(-1)));
    }

    private static IncidentSummary Summary(string id, IncidentStatus status, DateTimeOffset openedAt) =>
        new(id, IncidentType.EmergencyVideo112, status, "11010", 2, new GeoPoint(37.5735, 126.979), openedAt, ["seoul-112", "police-jongno"], id == "inc-1" ? "CAD-77" : null);
}
