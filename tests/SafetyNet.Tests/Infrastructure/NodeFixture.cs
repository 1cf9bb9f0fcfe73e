namespace SafetyNet.Tests.Infrastructure;

/// <summary>One node on the full 68,000-camera demo city, shared by the API tests.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await TestNode.StartAsync();

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Node.DeleteData();
    }
}

[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "node";
}
