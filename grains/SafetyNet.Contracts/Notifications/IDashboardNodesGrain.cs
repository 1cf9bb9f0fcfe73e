namespace SafetyNet.Contracts.Notifications;

/// <summary>The nodes that host dashboards (key: 0). Nodes re-register periodically; silent ones expire.</summary>
[Alias("dashboard-nodes")]
public interface IDashboardNodesGrain : IGrainWithIntegerKey
{
    [Alias("register-node")]
    Task RegisterAsync(DashboardNode node);

    [Alias("unregister")]
    Task UnregisterAsync(string nodeId);

    [Alias("nodes"), ReadOnly, AlwaysInterleave]
    ValueTask<IReadOnlyList<DashboardNode>> GetNodesAsync();

    [Alias("drop-node")]
    Task DropAsync(string nodeId);
}
