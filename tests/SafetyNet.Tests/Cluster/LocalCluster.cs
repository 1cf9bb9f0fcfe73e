using System.Security.Cryptography;

namespace SafetyNet.Tests.Cluster;

/// <summary>N node processes on loopback sharing one fresh PostgreSQL database and one signing key.</summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private LocalCluster(TestDatabase database, IReadOnlyList<NodeProcess> nodes)
    {
        Database = database;
        Nodes = nodes;
    }

    public TestDatabase Database { get; }
    public IReadOnlyList<NodeProcess> Nodes { get; }

    /// <summary>
    /// <paramref name="reachDatabase"/> gives the connection string the nodes use in place of the database's own (a relay's);
    /// <paramref name="nodeSettings"/> gives settings of one node (by its index, from 1) over <paramref name="extra"/>.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(int size, IDictionary<string, string>? extra = null, Func<string, string>? reachDatabase = null,
        Func<int, IDictionary<string, string>?>? nodeSettings = null)
    {
        var database = await TestDatabase.CreateAsync();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var connectionString = reachDatabase?.Invoke(database.ConnectionString) ?? database.ConnectionString;
        var nodes = Enumerable.Range(1, size).Select(i => new NodeProcess(i, connectionString, key,
            new Dictionary<string, string>((extra ?? new Dictionary<string, string>()).Concat(nodeSettings?.Invoke(i) ?? new Dictionary<string, string>())
                .GroupBy(setting => setting.Key).Select(setting => setting.Last())))).ToList();
        var cluster = new LocalCluster(database, nodes);
        nodes[0].Start();
        await nodes[0].WaitReadyAsync(1);
        foreach (var node in nodes.Skip(1)) node.Start();
        await cluster.WaitAllReadyAsync();
        return cluster;
    }

    public async Task RestartAllAsync()
    {
        foreach (var node in Nodes) await node.StopAsync();
        Nodes[0].Start();
        await Nodes[0].WaitReadyAsync(1);
        foreach (var node in Nodes.Skip(1)) node.Start();
        await WaitAllReadyAsync();
    }

    private async Task WaitAllReadyAsync()
    {
        foreach (var node in Nodes) await node.WaitReadyAsync(Nodes.Count, peers: Nodes.Where(other => other != node).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        await Database.DisposeAsync();
    }
}
