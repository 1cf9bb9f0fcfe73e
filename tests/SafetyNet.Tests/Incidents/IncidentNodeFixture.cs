using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>
/// A node with short grace periods, so closing and moving can be watched to the end. Two rows of the authority table are
/// widened beyond the defaults so that the rules for people opening incidents can be exercised with a local opener:
/// police stations may open 112-dispatch, and district control centers may open vulnerable-sos (which they do not respond
/// to). Every other type keeps the default table. Writes of context-layer tiles can be held, to stop an import half-way.
/// </summary>
public sealed class IncidentNodeFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public StorageHolds TileStorage { get; } = new();

    public async Task InitializeAsync() => Node = await TestNode.StartAsync(20_000, extra: new Dictionary<string, string?>
    {
        ["Incidents:ClosingGrace"] = "00:00:02",
        ["Incidents:MoveGrace"] = "00:00:01",
        ["Incidents:WatchdogPeriod"] = "00:00:05",
        ["Incidents:Types:112-dispatch:OpenerKinds:0"] = "police-112-center",
        ["Incidents:Types:112-dispatch:OpenerKinds:1"] = "police-station",
        ["Incidents:Types:vulnerable-sos:OpenerKinds:0"] = "vulnerable-support-center",
        ["Incidents:Types:vulnerable-sos:OpenerKinds:1"] = "district-control-center",
    }, decorate: services => HoldableGrainStorage.Wrap(services, StorageNames.ContextTiles, TileStorage));

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Node.DeleteData();
    }
}

[CollectionDefinition(Name)]
public sealed class IncidentNodeCollection : ICollectionFixture<IncidentNodeFixture>
{
    public const string Name = "incident-node";
}
