using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Grains.Notifications;

/// <summary>
/// The dashboard-hosting nodes. In memory on purpose: nodes re-register every few seconds, so after a failover the list
/// rebuilds itself, and a node that stops re-registering drops out. Publishers never call it per event: every silo caches
/// the list (<see cref="DashboardNodeDirectory"/>), so events keep flowing while this grain moves to another silo.
/// </summary>
public sealed class DashboardNodesGrain(TimeProvider clock, ILogger<DashboardNodesGrain> logger) : Grain, IDashboardNodesGrain
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);
    private readonly Dictionary<string, (DashboardNode Node, DateTimeOffset Seen)> _nodes = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("The dashboard node registry is active on this silo");
        return Task.CompletedTask;
    }

    public Task RegisterAsync(DashboardNode node)
    {
        _nodes[node.NodeId] = (node, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(string nodeId)
    {
        _nodes.Remove(nodeId);
        return Task.CompletedTask;
    }

    public ValueTask<IReadOnlyList<DashboardNode>> GetNodesAsync()
    {
        var cutoff = clock.GetUtcNow() - Expiry;
        return ValueTask.FromResult<IReadOnlyList<DashboardNode>>(_nodes.Values.Where(n => n.Seen >= cutoff).Select(n => n.Node).ToArray());
    }

    public Task DropAsync(string nodeId) => UnregisterAsync(nodeId);
}
