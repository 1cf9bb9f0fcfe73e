using SafetyNet.Contracts.Media;

namespace SafetyNet.Grains.Media.Live;

/// <summary>
/// One rendition of one camera's low-latency stream on this node: the relay publishes its fMP4 chunks here, the feed keeps
/// the GOP cache and fans every chunk out to its viewers' bounded queues. A new viewer gets the init segment and the cached
/// group of pictures at once, so its first picture comes from memory.
/// </summary>
public sealed class LiveFeed(long gopCacheBytes, long viewerQueueBytes)
{
    private readonly Lock _gate = new();
    private readonly GopCache _cache = new(gopCacheBytes);
    private readonly List<LiveViewer> _viewers = [];
    private TaskCompletionSource _nextKeyframe = NewSignal();
    private string? _ended;

    public int ViewerCount
    {
        get
        {
            lock (_gate) return _viewers.Count;
        }
    }

    public void Publish(LiveChunk chunk)
    {
        lock (_gate)
        {
            if (_ended is not null) return;
            _cache.Add(chunk);
            foreach (var viewer in _viewers) viewer.Offer(chunk);
            if (!chunk.IsKeyframe) return;
            _nextKeyframe.TrySetResult();
            _nextKeyframe = NewSignal();
        }
    }

    /// <summary>A new ffmpeg run begins: its stream starts over, so viewers that were playing the old one are ended; waiting ones stay.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            _cache.Reset();
            foreach (var viewer in _viewers.Where(v => v.HasInit).ToList())
            {
                viewer.End(LiveEndReasons.RelayRestarted);
                _viewers.Remove(viewer);
            }
        }
    }

    public void End()
    {
        lock (_gate)
        {
            _ended = LiveEndReasons.RelayStopped;
            _cache.Reset();
            foreach (var viewer in _viewers) viewer.End(_ended);
            _viewers.Clear();
            _nextKeyframe.TrySetResult();
        }
    }

    public LiveViewer Watch()
    {
        var viewer = new LiveViewer(viewerQueueBytes, Leave);
        lock (_gate)
        {
            if (_ended is not null)
            {
                viewer.End(_ended);
                return viewer;
            }
            if (_cache.Init is { } init) viewer.Offer(init);
            foreach (var fragment in _cache.Fragments) viewer.Offer(fragment);
            viewer.Backlog = _cache.Init is null ? 0 : _cache.Fragments.Count;
            _viewers.Add(viewer);
        }
        return viewer;
    }

    /// <summary>The init segment and the newest keyframe fragment, waiting up to <paramref name="timeout"/> for one; null if none came.</summary>
    public async Task<(LiveChunk Init, LiveChunk Keyframe)?> NewestKeyframeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                Task next;
                lock (_gate)
                {
                    if (_cache is { Init: { } init, Fragments: [var keyframe, ..] }) return (init, keyframe);
                    if (_ended is not null) return null;
                    next = _nextKeyframe.Task;
                }
                await next.WaitAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void Leave(LiveViewer viewer)
    {
        lock (_gate) _viewers.Remove(viewer);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
