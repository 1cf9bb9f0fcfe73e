namespace SafetyNet.Contracts.Notifications;

/// <summary>
/// One per event stream (key: <see cref="EventStreams"/>): numbers the stream's events and delivers them, in order, in
/// batches per dashboard node. In memory on purpose: a new activation starts a new epoch, which tells every dashboard of
/// the stream to read its state again.
/// </summary>
[Alias("event-sequencer")]
public interface IEventSequencerGrain : IGrainWithStringKey
{
    /// <summary>Events of this stream; they are numbered in the order given.</summary>
    [Alias("publish")]
    Task PublishAsync(DashboardEvent[] events);

    /// <summary>A node with subscribers of this stream asks for a heartbeat (at most one a second goes out).</summary>
    [Alias("ping")]
    Task PingAsync();
}
