using SafetyNet.Contracts.Media;

namespace SafetyNet.Grains.Media.Live;

/// <summary>
/// A rendition's init segment and its fragments since the newest keyframe: what a new viewer needs to show a picture at once
/// instead of waiting for the next keyframe. Bounded in bytes: a group of pictures that outgrows the bound is dropped, and
/// the cache waits for the next keyframe. Not thread-safe; its feed holds the lock.
/// </summary>
public sealed class GopCache(long maxBytes)
{
    private readonly List<LiveChunk> _fragments = [];
    private long _bytes;

    public LiveChunk? Init { get; private set; }

    /// <summary>The cached group of pictures, starting with its keyframe; empty while none is complete enough to start from.</summary>
    public IReadOnlyList<LiveChunk> Fragments => _fragments;

    public long Bytes => _bytes;

    public void Add(LiveChunk chunk)
    {
        if (chunk.IsInit)
        {
            Init = chunk;
            Clear();
            return;
        }
        if (chunk.IsKeyframe) Clear();
        else if (_fragments.Count == 0) return;
        if (_bytes + chunk.Bytes.Length > maxBytes)
        {
            Clear();
            return;
        }
        _fragments.Add(chunk);
        _bytes += chunk.Bytes.Length;
    }

    public void Reset()
    {
        Init = null;
        Clear();
    }

    private void Clear()
    {
        _fragments.Clear();
        _bytes = 0;
    }
}
