using SafetyNet.Contracts.Media;

namespace SafetyNet.Grains.Media.Live;

/// <summary>
/// One viewer's bounded queue of a feed. Fragments are offered by the feed and read by the viewer's connection; when the
/// queued bytes would pass the bound, the viewer skips everything up to the next keyframe, and that keyframe replaces what
/// was still queued, so a slow viewer lands back at the live edge instead of growing the node's memory.
/// </summary>
public sealed class LiveViewer(long maxBytes, Action<LiveViewer> leave) : ILiveView
{
    private readonly Lock _gate = new();
    private readonly Queue<LiveChunk> _queue = new();
    private long _bytes;
    private bool _awaitingKeyframe = true;
    private TaskCompletionSource? _waiting;

    public bool HasInit { get; private set; }

    public int Backlog { get; internal set; }

    /// <summary>How often the viewer fell behind and was moved on to the next keyframe.</summary>
    public int Skips { get; private set; }

    public string? EndReason { get; private set; }

    public long QueuedBytes
    {
        get
        {
            lock (_gate) return _bytes;
        }
    }

    public void Offer(LiveChunk chunk)
    {
        lock (_gate)
        {
            if (EndReason is not null) return;
            if (chunk.IsInit) HasInit = true;
            else if (!HasInit) return;
            else if (chunk.IsKeyframe && (_awaitingKeyframe || _bytes + chunk.Bytes.Length > maxBytes))
            {
                if (!_awaitingKeyframe) Skips++;
                DropQueuedFragments();
                _awaitingKeyframe = chunk.Bytes.Length > maxBytes;
                if (_awaitingKeyframe) return;
            }
            else if (_awaitingKeyframe) return;
            else if (_bytes + chunk.Bytes.Length > maxBytes)
            {
                Skips++;
                _awaitingKeyframe = true;
                return;
            }
            _queue.Enqueue(chunk);
            _bytes += chunk.Bytes.Length;
            Wake();
        }
    }

    public void End(string reason)
    {
        lock (_gate)
        {
            EndReason ??= reason;
            Wake();
        }
    }

    public async ValueTask<LiveChunk?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task waiting;
            lock (_gate)
            {
                if (_queue.TryDequeue(out var chunk))
                {
                    _bytes -= chunk.Bytes.Length;
                    return chunk;
                }
                if (EndReason is not null) return null;
                _waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiting = _waiting.Task;
            }
            await waiting.WaitAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        End(LiveEndReasons.ViewerLeft);
        leave(this);
    }

    /// <summary>Keeps a not-yet-read init segment: the keyframe that follows needs it.</summary>
    private void DropQueuedFragments()
    {
        var init = _queue.Where(c => c.IsInit).ToList();
        _queue.Clear();
        foreach (var chunk in init) _queue.Enqueue(chunk);
        _bytes = init.Sum(c => (long)c.Bytes.Length);
    }

    private void Wake()
    {
        _waiting?.TrySetResult();
        _waiting = null;
    }
}
