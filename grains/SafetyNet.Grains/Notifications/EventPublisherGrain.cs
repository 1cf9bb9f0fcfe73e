using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Grains.Notifications;

/// <summary>
/// Fans a batch of events out to every dashboard node at once (one call per node, never one per connection); the nodes
/// route them to their SignalR groups. A node that fails to answer is dropped and re-registers when it is back.
/// </summary>
[StatelessWorker]
public sealed class EventPublisherGrain(ILogger<EventPublisherGrain> logger) : Grain, IEventPublisherGrain
{
    public async Task PublishAsync(DashboardEvent[] events)
    {
        if (events.Length == 0) return;
        var nodes = GrainFactory.GetGrain<IDashboardNodesGrain>(0);
        var observers = await nodes.GetObserversAsync();
        await Task.WhenAll(observers.Select(async observer =>
        {
            try
            {
                await observer.OnEventsAsync(events).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A dashboard node did not take {Count} events; dropping it until it re-registers", events.Length);
                await nodes.DropAsync(observer);
            }
        }));
    }
}
