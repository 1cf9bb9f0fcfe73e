namespace SafetyNet.Contracts.Notifications;

/// <summary>The <c>sequence</c> stamped on a dashboard event: its stream, the stream sequencer's epoch and the event's number in it.</summary>
public sealed record EventSequence(string Stream, string Epoch, long Number);

/// <summary>
/// A dashboard's view of the streams it receives (the .NET twin of the dashboard's sequence.js): <see cref="Observe"/>
/// answers true when something of that stream was missed (a skipped number, a new epoch, a heartbeat ahead of what
/// arrived), so the client reads that stream's state again. Not thread-safe: a SignalR connection runs its handlers one at
/// a time.
/// </summary>
public sealed class SequenceTracker
{
    private readonly Dictionary<string, (string Epoch, long Last)> _streams = new(StringComparer.Ordinal);

    /// <summary>After a (re)subscription the next event sets the baseline: the subscription's answer covers what came before.</summary>
    public void Reset() => _streams.Clear();

    public bool Observe(EventSequence? sequence, bool isHeartbeat)
    {
        if (sequence is null) return false;
        if (!_streams.TryGetValue(sequence.Stream, out var known) || sequence.Epoch != known.Epoch)
        {
            _streams[sequence.Stream] = (sequence.Epoch, sequence.Number);
            return known.Epoch is not null;
        }
        var gap = isHeartbeat ? sequence.Number > known.Last : sequence.Number > known.Last + 1;
        _streams[sequence.Stream] = (known.Epoch, Math.Max(known.Last, sequence.Number));
        return gap;
    }
}
