namespace SafetyNet.Contracts.Notifications;

/// <summary>The nodes that host dashboards (key: 0). Nodes re-register periodically; silent ones expire.</summary>
[Alias("dashboard-nodes")]
public interface IDashboardNodesGrain : IGrainWithIntegerKey
{
    [Alias("register")]
    Task RegisterAsync(string nodeId, INodeEventsObserver observer);

    [Alias("unregister")]
    Task UnregisterAsync(string nodeId);

    [Alias("observers"), ReadOnly, AlwaysInterleave]
    ValueTask<IReadOnlyList<INodeEventsObserver>> GetObserversAsync();

    [Alias("drop")]
    Task DropAsync(INodeEventsObserver observer);
}
