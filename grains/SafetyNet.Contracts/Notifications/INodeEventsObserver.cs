namespace SafetyNet.Contracts.Notifications;

/// <summary>One per node hosting dashboards: receives event batches and forwards them to its SignalR groups.</summary>
[Alias("node-events-observer")]
public interface INodeEventsObserver : IGrainObserver
{
    [Alias("on-events")]
    Task OnEventsAsync(DashboardEvent[] events);
}
