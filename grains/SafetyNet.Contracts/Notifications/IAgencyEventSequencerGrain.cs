namespace SafetyNet.Contracts.Notifications;

/// <summary>
/// One per agency (key: agency id): numbers the agency's events and delivers them, in order, in batches per dashboard node.
/// In memory on purpose: a new activation starts a new epoch, which tells every dashboard to read its state again.
/// </summary>
[Alias("agency-event-sequencer")]
public interface IAgencyEventSequencerGrain : IGrainWithStringKey
{
    /// <summary>Events whose audience is this agency; they are numbered in the order given.</summary>
    [Alias("publish")]
    Task PublishAsync(DashboardEvent[] events);

    /// <summary>A node with subscribers of this agency asks for a heartbeat (at most one a second goes out).</summary>
    [Alias("ping")]
    Task PingAsync();
}
