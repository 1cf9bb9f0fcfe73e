using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Grains.Notifications;

/// <summary>
/// Events waiting for each dashboard node, taken in batches of at most <see cref="MaxBatch"/>; the owner flushes when a queue
/// is full or <see cref="FlushDelay"/> after the first waiting event (GPSTracker's 100 messages / 15 ms), in queue order.
/// </summary>
public sealed class NodeBatches
{
    public const int MaxBatch = 100;
    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(15);
    private readonly Dictionary<string, (DashboardNode Node, Queue<DashboardEvent> Queue)> _queues = new(StringComparer.Ordinal);

    public bool IsEmpty => _queues.Values.All(q => q.Queue.Count == 0);

    /// <summary>Queues the event for every node; true when some node's queue holds a full batch.</summary>
    public bool Add(IReadOnlyList<DashboardNode> nodes, DashboardEvent e)
    {
        var full = false;
        foreach (var node in nodes)
        {
            if (!_queues.TryGetValue(node.NodeId, out var entry)) _queues[node.NodeId] = entry = (node, new Queue<DashboardEvent>());
            entry.Queue.Enqueue(e);
            full |= entry.Queue.Count >= MaxBatch;
        }
        return full;
    }

    /// <summary>The next batch of every node with events waiting (at most <see cref="MaxBatch"/> each, oldest first).</summary>
    public IReadOnlyList<(DashboardNode Node, DashboardEvent[] Batch)> TakeBatches()
    {
        var batches = new List<(DashboardNode, DashboardEvent[])>();
        foreach (var (id, (node, queue)) in _queues.ToArray())
        {
            if (queue.Count == 0)
            {
                _queues.Remove(id);
                continue;
            }
            var batch = new DashboardEvent[Math.Min(queue.Count, MaxBatch)];
            for (var i = 0; i < batch.Length; i++) batch[i] = queue.Dequeue();
            batches.Add((node, batch));
        }
        return batches;
    }
}
