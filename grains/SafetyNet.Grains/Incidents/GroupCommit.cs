namespace SafetyNet.Grains.Incidents;

/// <summary>
/// Writes what gathers while the previous write is in flight as one write (group commit): under load one statement carries
/// many incidents' summaries, unloaded each waits for its own. Keyed, so a later value of a key replaces a waiting one.
/// Single-threaded use only (a grain's turns).
/// </summary>
public sealed class GroupCommit<TKey, TValue>(Func<IReadOnlyList<TValue>, Task> write) where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _waiting = new();
    private TaskCompletionSource? _nextWrite;
    private bool _writing;

    /// <summary>Completes once a write holding <paramref name="value"/> (or a later value of its key) has finished.</summary>
    public Task WriteAsync(TKey key, TValue value)
    {
        _waiting[key] = value;
        _nextWrite ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = _nextWrite.Task;
        if (!_writing) WriteWaitingAsync().Ignore();
        return written;
    }

    private async Task WriteWaitingAsync()
    {
        _writing = true;
        try
        {
            while (_waiting.Count > 0)
            {
                var batch = _waiting.Values.ToArray();
                var done = _nextWrite!;
                _waiting.Clear();
                _nextWrite = null;
                try
                {
                    await write(batch);
                    done.SetResult();
                }
                catch (Exception ex)
                {
                    done.SetException(ex);
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }
}
