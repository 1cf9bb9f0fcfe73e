namespace SafetyNet.Bench.Measurement;

/// <summary>
/// Samples this process's thread pool (threads, queued work items) on a timer: a queue that keeps growing, or threads
/// being injected one by one, means work is blocking pool threads or the CPU cannot keep up.
/// </summary>
public sealed class ThreadPoolSampler : IDisposable
{
    private readonly List<(int Threads, long Queued)> _samples = [];
    private readonly Timer _timer;

    private ThreadPoolSampler(TimeSpan period)
    {
        _timer = new Timer(_ =>
        {
            lock (_samples) _samples.Add((ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount));
        }, null, TimeSpan.Zero, period);
    }

    public static ThreadPoolSampler Start(TimeSpan period) => new(period);

    public string Describe()
    {
        lock (_samples)
        {
            if (_samples.Count == 0) return "no samples";
            return $"threads {_samples[0].Threads} at start, max {_samples.Max(s => s.Threads)}; queued work items mean " +
                   $"{_samples.Average(s => s.Queued):F0}, max {_samples.Max(s => s.Queued):N0}";
        }
    }

    public void Dispose() => _timer.Dispose();
}
