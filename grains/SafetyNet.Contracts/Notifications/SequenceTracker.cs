namespace SafetyNet.Contracts.Notifications;

/// <summary>The <c>sequence</c> stamped on an agency's dashboard events: the sequencer's epoch and the event's number in it.</summary>
public sealed record EventSequence(string AgencyId, string Epoch, long Number);

/// <summary>
/// A dashboard's view of its agency's sequence (the .NET twin of the dashboard's sequence.js): <see cref="Observe"/> answers
/// true when something was missed (a skipped number, a new epoch, a heartbeat ahead of what arrived), so the client resyncs.
/// Not thread-safe: a SignalR connection runs its handlers one at a time.
/// </summary>
public sealed class SequenceTracker
{
    private string? _epoch;
    private long _last;

    /// <summary>After a (re)subscription the next event sets the baseline: the subscription's answer covers what came before.</summary>
    public void Reset() => _epoch = null;

    public bool Observe(EventSequence? sequence, bool isHeartbeat)
    {
        if (sequence is null) return false;
        if (_epoch is null || sequence.Epoch != _epoch)
        {
            var changed = _epoch is not null;
            (_epoch, _last) = (sequence.Epoch, sequence.Number);
            return changed;
        }
        var gap = isHeartbeat ? sequence.Number > _last : sequence.Number > _last + 1;
        _last = Math.Max(_last, sequence.Number);
        return gap;
    }
}
