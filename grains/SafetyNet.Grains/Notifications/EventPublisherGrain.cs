using Orleans.Concurrency;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Grains.Notifications;

/// <summary>
/// Routes events to the sequencers of their streams (<see cref="EventStreams"/>): each audience agency's share to that
/// agency's, a district's status changes and misuse flags to that district's. The sequencers number and deliver them.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class EventPublisherGrain : Grain, IEventPublisherGrain
{
    public Task PublishAsync(DashboardEvent[] events) =>
        Task.WhenAll(events.SelectMany(EventStreams.Of).GroupBy(p => p.Stream, p => p.Event)
            .Select(stream => GrainFactory.GetGrain<IEventSequencerGrain>(stream.Key).PublishAsync(stream.ToArray())));
}
