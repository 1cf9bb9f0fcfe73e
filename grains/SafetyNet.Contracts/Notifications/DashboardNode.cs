namespace SafetyNet.Contracts.Notifications;

/// <summary>A process hosting dashboards: its observer, and the silo it runs beside (so a dead silo's node leaves the list at once).</summary>
[GenerateSerializer, Immutable, Alias("dashboard-node")]
public sealed record DashboardNode(
    [property: Id(0)] string NodeId,
    [property: Id(1)] INodeEventsObserver Observer,
    [property: Id(2)] SiloAddress? Silo);
