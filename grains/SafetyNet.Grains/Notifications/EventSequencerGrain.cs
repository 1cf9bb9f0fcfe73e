using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Placement;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Grains.Notifications;

/// <summary>
/// One stream's events (an agency's; a district's status changes or misuse flags): numbered here, then delivered to every
/// dashboard node in order, one batch in flight per node. Reentrant so that publishers never wait for a flush; numbering and queueing happen without an await, so queue order is
/// number order. A node that does not take a batch misses it; its dashboards see the gap at the next event or heartbeat.
/// Placed beside its first caller (a publisher or a node asking for a heartbeat), so no extra hop decides where it lives.
/// </summary>
[Reentrant, PreferLocalPlacement]
public sealed class EventSequencerGrain(DashboardNodeDirectory nodes, TimeProvider clock, ILogger<EventSequencerGrain> logger)
    : Grain, IEventSequencerGrain
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(5);
    private readonly NodeBatches _batches = new();
    private StreamSequence _sequence = null!;
    private IGrainTimer? _flushTimer;
    private bool _flushing;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _sequence = new StreamSequence(this.GetPrimaryKeyString(), clock);
        logger.LogInformation("Events of {Stream} are numbered in epoch {Epoch} on this silo", _sequence.Stream, _sequence.Epoch);
        // A new epoch is news: dashboards that knew the previous activation's numbers read their state again.
        Enqueue(_sequence.HeartbeatIfDue()!);
        return Task.CompletedTask;
    }

    public Task PublishAsync(DashboardEvent[] events)
    {
        foreach (var e in events) Enqueue(_sequence.Number(e));
        return Task.CompletedTask;
    }

    public Task PingAsync()
    {
        if (_sequence.HeartbeatIfDue() is { } heartbeat) Enqueue(heartbeat);
        return Task.CompletedTask;
    }

    private void Enqueue(DashboardEvent e)
    {
        if (_batches.Add(nodes.Current, e)) FlushAsync().Ignore();
        else if (_flushTimer is null && !_flushing)
            _flushTimer = this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(NodeBatches.FlushDelay, Timeout.InfiniteTimeSpan));
    }

    private async Task FlushAsync()
    {
        _flushTimer?.Dispose();
        _flushTimer = null;
        if (_flushing) return;
        _flushing = true;
        try
        {
            while (!_batches.IsEmpty) await Task.WhenAll(_batches.TakeBatches().Select(b => DeliverAsync(b.Node, b.Batch)));
        }
        finally
        {
            _flushing = false;
        }
    }

    private async Task DeliverAsync(DashboardNode node, DashboardEvent[] batch)
    {
        try
        {
            await node.Observer.OnEventsAsync(batch).WaitAsync(DeliveryTimeout);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Dashboard node {Node} did not take {Count} events of {Stream}; dropping it until it re-registers", node.NodeId, batch.Length, _sequence.Stream);
            nodes.Drop(node);
        }
    }
}
