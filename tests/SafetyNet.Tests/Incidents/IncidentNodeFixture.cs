using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>A node with short grace periods, so closing and moving can be watched to the end.</summary>
public sealed class IncidentNodeFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await TestNode.StartAsync(20_000, extra: new Dictionary<string, string?>
    {
        ["Incidents:ClosingGrace"] = "00:00:02",
        ["Incidents:MoveGrace"] = "00:00:01",
        ["Incidents:WatchdogPeriod"] = "00:00:05",
    });

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
