namespace SafetyNet.Grains.Media.Streams;

/// <summary>
/// The lifecycle of one camera's stream, with no I/O: consumers come and go, the process reports ready or exits, time
/// passes; each input returns the commands its owner must carry out. Not thread-safe: the owner serialises inputs.
/// <code>
/// idle ──consumer──▶ starting ──first media──▶ ready ──last consumer left──▶ lingering ──linger over──▶ stopping ──exit──▶ idle
///                       ▲  │exit                  ▲──────consumer returns──────┘
///                       │  ▼
///                     backoff (failures double the delay; offline reported after FailuresBeforeOffline runs in a row)
/// </code>
/// The linger clock runs whenever nobody holds a stream that is not idle or stopping, so a stream still starting or in
/// backoff when its last consumer leaves stops at the same deadline. The owner calls <see cref="Tick"/> at <see cref="NextDueAt"/>.
/// </summary>
public sealed class CameraStreamMachine(StreamTimings timings, TimeProvider time)
{
    private readonly Dictionary<string, StreamConsumer> _consumers = new(StringComparer.Ordinal);
    private DateTimeOffset? _lingerUntil;
    private bool _runProducedMedia;

    public StreamState State { get; private set; } = StreamState.Idle;

    /// <summary>Failed runs in a row; a run that got as far as its first media counts once when it ends, as a fresh failure.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>In <see cref="StreamState.Backoff"/>: when the next start is due.</summary>
    public DateTimeOffset? RetryAt { get; private set; }

    public IReadOnlyCollection<StreamConsumer> Consumers => _consumers.Values;

    /// <summary>The earliest moment <see cref="Tick"/> has something to do (a restart, the end of the linger, a consumer's end); null when nothing is due.</summary>
    public DateTimeOffset? NextDueAt
    {
        get
        {
            var due = State == StreamState.Backoff ? RetryAt : null;
            if (_lingerUntil is { } linger && (due is null || linger < due)) due = linger;
            foreach (var consumer in _consumers.Values)
                if (consumer.Until is { } until && (due is null || until < due)) due = until;
            return due;
        }
    }

    /// <summary>Adds a consumer, or replaces it (a pre-warm renewed with a new end).</summary>
    public IReadOnlyList<StreamCommand> Add(StreamConsumer consumer)
    {
        _consumers[consumer.Id] = consumer;
        var commands = new List<StreamCommand>();
        if (State == StreamState.Idle) Start(commands);
        Settle(commands);
        return commands;
    }

    public IReadOnlyList<StreamCommand> Remove(string consumerId)
    {
        if (!_consumers.Remove(consumerId)) return [];
        var commands = new List<StreamCommand>();
        Settle(commands);
        return commands;
    }

    /// <summary>The process produced its first media.</summary>
    public IReadOnlyList<StreamCommand> ProcessReady()
    {
        if (State != StreamState.Starting) return [];
        _runProducedMedia = true;
        State = StreamState.Ready;
        var commands = new List<StreamCommand> { StreamCommand.ReportOnline };
        Settle(commands);
        return commands;
    }

    public IReadOnlyList<StreamCommand> ProcessExited()
    {
        var commands = new List<StreamCommand>();
        switch (State)
        {
            case StreamState.Stopping when _consumers.Count > 0:
                // A consumer arrived while the process was going: start afresh.
                Start(commands);
                break;
            case StreamState.Stopping:
                BecomeIdle(commands);
                break;
            case StreamState.Starting or StreamState.Ready or StreamState.Lingering:
                ConsecutiveFailures = _runProducedMedia ? 1 : ConsecutiveFailures + 1;
                if (ConsecutiveFailures >= timings.FailuresBeforeOffline) commands.Add(StreamCommand.ReportOffline);
                State = StreamState.Backoff;
                RetryAt = time.GetUtcNow() + timings.Backoff(ConsecutiveFailures);
                break;
        }
        Settle(commands);
        return commands;
    }

    /// <summary>Stops for good: every consumer is dropped, and the stream goes idle once its process has exited.</summary>
    public IReadOnlyList<StreamCommand> Stop()
    {
        _consumers.Clear();
        _lingerUntil = null;
        var commands = new List<StreamCommand>();
        StopNow(commands);
        return commands;
    }

    public IReadOnlyList<StreamCommand> Tick()
    {
        var commands = new List<StreamCommand>();
        Settle(commands);
        return commands;
    }

    /// <summary>Applies whatever the consumers and the clock now call for: consumers' ends, the linger, a due restart.</summary>
    private void Settle(List<StreamCommand> commands)
    {
        var now = time.GetUtcNow();
        foreach (var ended in _consumers.Values.Where(c => c.Until <= now).ToList()) _consumers.Remove(ended.Id);

        if (State is StreamState.Idle or StreamState.Stopping)
        {
            _lingerUntil = null;
            return;
        }
        if (_consumers.Count > 0)
        {
            _lingerUntil = null;
            if (State == StreamState.Lingering) State = StreamState.Ready;
        }
        else
        {
            _lingerUntil ??= now + timings.Linger;
            if (State == StreamState.Ready) State = StreamState.Lingering;
            if (now >= _lingerUntil)
            {
                _lingerUntil = null;
                StopNow(commands);
                return;
            }
        }
        if (State == StreamState.Backoff && now >= RetryAt) Start(commands);
    }

    private void Start(List<StreamCommand> commands)
    {
        State = StreamState.Starting;
        RetryAt = null;
        _runProducedMedia = false;
        commands.Add(StreamCommand.StartProcess);
    }

    private void StopNow(List<StreamCommand> commands)
    {
        switch (State)
        {
            case StreamState.Starting or StreamState.Ready or StreamState.Lingering:
                State = StreamState.Stopping;
                commands.Add(StreamCommand.StopProcess);
                break;
            case StreamState.Backoff:
                BecomeIdle(commands);
                break;
        }
    }

    private void BecomeIdle(List<StreamCommand> commands)
    {
        State = StreamState.Idle;
        RetryAt = null;
        ConsecutiveFailures = 0;
        commands.Add(StreamCommand.Stopped);
    }
}
