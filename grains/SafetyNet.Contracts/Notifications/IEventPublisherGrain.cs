namespace SafetyNet.Contracts.Notifications;

/// <summary>Stateless per silo (key: 0): batches events and fans each batch out to every dashboard node at once.</summary>
[Alias("event-publisher")]
public interface IEventPublisherGrain : IGrainWithIntegerKey
{
    [Alias("publish")]
    Task PublishAsync(DashboardEvent[] events);
}
