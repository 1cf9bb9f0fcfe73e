using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Grains.Notifications;

/// <summary>
/// The dashboard-hosting nodes' observers. In memory on purpose: nodes re-register every few seconds, so after a
/// failover the list rebuilds itself, and a node that stops re-registering drops out.
/// </summary>
public sealed class DashboardNodesGrain(TimeProvider clock) : Grain, IDashboardNodesGrain
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);
    private readonly Dictionary<string, (INodeEventsObserver Observer, DateTimeOffset Seen)> _nodes = new();

    public Task RegisterAsync(string nodeId, INodeEventsObserver observer)
    {
        _nodes[nodeId] = (observer, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(string nodeId)
    {
        _nodes.Remove(nodeId);
        return Task.CompletedTask;
    }

    public ValueTask<IReadOnlyList<INodeEventsObserver>> GetObserversAsync()
    {
        var cutoff = clock.GetUtcNow() - Expiry;
        return ValueTask.FromResult<IReadOnlyList<INodeEventsObserver>>(_nodes.Values.Where(n => n.Seen >= cutoff).Select(n => n.Observer).ToArray());
    }

    public Task DropAsync(INodeEventsObserver observer)
    {
        foreach (var key in _nodes.Where(n => n.Value.Observer.Equals(observer)).Select(n => n.Key).ToList()) _nodes.Remove(key);
        return Task.CompletedTask;
    }
}
