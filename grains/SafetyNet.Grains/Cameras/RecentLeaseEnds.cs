namespace SafetyNet.Grains.Cameras;

/// <summary>
/// Why this camera's most recent leases ended, in memory, so that a player's requests after the end keep hearing the reason
/// (policy-never, camera-maintenance, …) rather than only "lease-ended". Bounded: the oldest are forgotten first.
/// </summary>
public sealed class RecentLeaseEnds(int capacity = 256)
{
    private readonly Dictionary<string, string> _reasons = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Add(string leaseId, string reason)
    {
        if (!_reasons.TryAdd(leaseId, reason)) return;
        _order.Enqueue(leaseId);
        if (_order.Count > capacity) _reasons.Remove(_order.Dequeue());
    }

    public string? ReasonFor(string leaseId) => _reasons.GetValueOrDefault(leaseId);
}
