using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Grains.Notifications;

/// <summary>
/// Routes events: an agency's events go to that agency's sequencer (numbered, batched per node); district and misuse-flag
/// events, which no agency sequence covers, go straight to every dashboard node of this silo's cached list.
/// </summary>
[StatelessWorker]
public sealed class EventPublisherGrain(DashboardNodeDirectory nodes, ILogger<EventPublisherGrain> logger) : Grain, IEventPublisherGrain
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(5);

    public Task PublishAsync(DashboardEvent[] events)
    {
        if (events.Length == 0) return Task.CompletedTask;
        var byAgency = events.Where(e => !e.AuditorsOnly).SelectMany(e => e.Agencies.Select(agency => (agency, e))).GroupBy(p => p.agency, p => p.e);
        var unsequenced = events.Where(e => e.AuditorsOnly || e.Agencies.Length == 0).ToArray();
        return Task.WhenAll(byAgency.Select(g => GrainFactory.GetGrain<IAgencyEventSequencerGrain>(g.Key).PublishAsync(g.ToArray()))
            .Append(DeliverAsync(unsequenced)));
    }

    private Task DeliverAsync(DashboardEvent[] events) => events.Length == 0 ? Task.CompletedTask : Task.WhenAll(nodes.Current.Select(async node =>
    {
        try
        {
            await node.Observer.OnEventsAsync(events).WaitAsync(DeliveryTimeout);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Dashboard node {Node} did not take {Count} events; dropping it until it re-registers", node.NodeId, events.Length);
            nodes.Drop(node);
        }
    }));
}
