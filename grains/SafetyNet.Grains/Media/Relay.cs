using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media.Live;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Grains.Media.Uplink;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Grains.Media;

/// <summary>
/// One camera's relay on this node: a <see cref="CameraStreamMachine"/> decides when its ffmpeg runs (consumers, linger,
/// restart with backoff, offline after repeated failed runs); this class carries those decisions out and feeds the machine
/// the run's events (first segment written, ffmpeg exited) and the clock's ticks. Each run also feeds the live path: ffmpeg
/// writes each rendition as fragmented MP4 to a socket in its socket folder, read into the rendition's <see cref="LiveFeed"/>.
/// </summary>
internal sealed class Relay
{
    /// <summary>How long ffmpeg gets after "q" to write its last segment and playlist before it is killed.</summary>
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan FilePollInterval = TimeSpan.FromMilliseconds(50);

    private readonly string cameraId;
    private readonly string streamUrl;
    private readonly RelayMask? mask;
    private readonly bool encode;
    private readonly string folder;
    private readonly string socketFolder;
    private readonly MediaOptions options;
    private readonly RelayCommands commands;
    private readonly CameraUplinks uplinks;
    private readonly ChildProcessLauncher launcher;
    /// <summary>(camera, online, why it is offline).</summary>
    private readonly Action<string, bool, string?> reportStatus;
    private readonly Action<Relay> onIdle;
    private readonly Action<Relay> onUnplayableCodec;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly Lock _gate = new();
    private readonly CameraStreamMachine _machine;
    private readonly ITimer _ticks;
    private TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _predecessorStopped;
    private CancellationTokenSource _stopping = new();
    private TaskCompletionSource<bool> _playlistReady = NewSignal();
    private readonly LiveFeed _original;
    private readonly LiveFeed? _masked;
    /// <summary>The current run's start on the monotonic clock (0 before the first), and its stamps' corrections since.</summary>
    private (long StartedAt, RecordingRestamp Restamp) _run = (0, RecordingRestamp.None);
    /// <summary>The current run's ffmpeg process id; 0 between runs.</summary>
    private int _processId;
    private UplinkCut? _lastCut;

    /// <param name="predecessorStopped">The previous relay of this camera, which must be gone before this one writes to the same folder.</param>
    /// <param name="encode">Encode the camera's pictures as H.264 rather than copy them (it sends a codec browsers cannot play).</param>
    /// <param name="onIdle">Called (outside this relay's lock) once the stream went idle by itself: its last consumer left and the linger ended.</param>
    /// <param name="onUnplayableCodec">Called from a run's reader when a copying relay finds the camera's codec is not H.264.</param>
    public Relay(string cameraId, string streamUrl, RelayMask? mask, bool encode, string folder, string socketFolder, MediaOptions options, RelayCommands commands,
        CameraUplinks uplinks, ChildProcessLauncher launcher, Action<string, bool, string?> reportStatus, Action<Relay> onIdle, Action<Relay> onUnplayableCodec, Task predecessorStopped,
        TimeProvider time, ILogger logger)
    {
        (this.cameraId, this.streamUrl, this.mask, this.encode, this.folder, this.options, this.commands, this.launcher) =
            (cameraId, streamUrl, mask, encode, folder, options, commands, launcher);
        (this.reportStatus, this.onIdle, this.onUnplayableCodec, _predecessorStopped, this.time, this.logger) =
            (reportStatus, onIdle, onUnplayableCodec, predecessorStopped, time, logger);
        (this.socketFolder, this.uplinks) = (socketFolder, uplinks);
        CreatedAt = time.GetTimestamp();
        _original = new LiveFeed(options.LiveGopCacheBytes, options.LiveViewerQueueBytes);
        _masked = mask is null ? null : new LiveFeed(options.LiveGopCacheBytes, options.LiveViewerQueueBytes);
        _machine = new CameraStreamMachine(StreamTimings.From(options), time);
        _ticks = time.CreateTimer(_ => Apply(m => m.Tick()), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string CameraId => cameraId;

    /// <summary>When this relay was made, on the monotonic clock: of two that could give way, the newer does.</summary>
    public long CreatedAt { get; }
    public string StreamUrl => streamUrl;
    public RelayMask? Mask => mask;
    public bool Encodes => encode;

    /// <summary>Whether its ffmpeg encodes at all: a mask, generated pictures, or a codec browsers cannot play.</summary>
    public bool RunsEncoder => RunsEncoderFor(streamUrl, mask, encode);

    /// <summary>The current run's ffmpeg, while one runs.</summary>
    public int? ProcessId => Volatile.Read(ref _processId) is var id and > 0 ? id : null;

    internal static bool RunsEncoderFor(string streamUrl, RelayMask? mask, bool encodeCodec) =>
        encodeCodec || mask is not null || StreamUrls.IsGenerated(streamUrl);
    public string Folder => folder;
    public string PlaylistPath => Path.Combine(folder, CameraFiles.Playlist);
    public bool PlaylistReady => Volatile.Read(ref _playlistReady).Task is { IsCompletedSuccessfully: true, Result: true };

    public StreamStatus Status
    {
        get
        {
            lock (_gate) return new StreamStatus(cameraId, _machine.State, _machine.ConsecutiveFailures, _machine.RetryAt, _machine.Consumers.Count, Volatile.Read(ref _lastCut));
        }
    }

    public IReadOnlyList<StreamConsumer> Consumers
    {
        get
        {
            lock (_gate) return [.. _machine.Consumers];
        }
    }

    public void Add(StreamConsumer consumer) => Apply(m => m.Add(consumer));

    public void Remove(string consumerId) => Apply(m => m.Remove(consumerId));

    public async Task<bool> WaitForPlaylistAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await Volatile.Read(ref _playlistReady).Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The playlist as ffmpeg wrote it, with its stamps moved by the wall clock's steps during this run.</summary>
    public HlsPlaylist Restamped(HlsPlaylist written)
    {
        RecordingRestamp restamp;
        lock (_gate) restamp = _run.Restamp;
        return restamp.Apply(written);
    }

    /// <summary>
    /// Moves the stamps of the run's segments from the step on. A run started after the watch's last look is left alone:
    /// its ffmpeg read the clock a moment after starting, most likely after the step.
    /// </summary>
    /// <returns>Whether this run follows the step.</returns>
    public bool Follow(ClockStep step)
    {
        lock (_gate)
        {
            if (_run.StartedAt == 0 || _run.StartedAt >= step.TimestampBefore) return false;
            _run = (_run.StartedAt, _run.Restamp.Following(step));
            return true;
        }
    }

    /// <summary>The rendition's live feed; null for the masked rendition of a relay started without a mask.</summary>
    public LiveFeed? Feed(MediaRendition rendition) => rendition == MediaRendition.Masked ? _masked : _original;

    /// <summary>Stops for good (every consumer dropped) and returns once ffmpeg is gone and the folder removed.</summary>
    public async Task StopAsync()
    {
        // The run answers the cancellation by sending "q", and kills ffmpeg if it is still there after the grace period.
        Apply(m => m.Stop(), notifyIdle: false);
        Task idle;
        lock (_gate) idle = _machine.State == StreamState.Idle ? Task.CompletedTask : _idle.Task;
        await idle;
        _original.End();
        _masked?.End();
        _playlistReady.TrySetResult(false);
        await _ticks.DisposeAsync();
        CameraFiles.Remove(folder);
    }

    /// <summary>Feeds the machine one input and carries out its commands; only the notifications leave the lock.</summary>
    private void Apply(Func<CameraStreamMachine, IReadOnlyList<StreamCommand>> input, bool notifyIdle = true)
    {
        var notifications = new List<StreamCommand>();
        lock (_gate)
        {
            var previous = _machine.State;
            foreach (var command in input(_machine))
            {
                switch (command)
                {
                    case StreamCommand.StartProcess:
                        StartRun();
                        break;
                    case StreamCommand.StopProcess:
                        _stopping.Cancel();
                        break;
                    case StreamCommand.Stopped:
                        _idle.TrySetResult();
                        notifications.Add(command);
                        break;
                    default:
                        notifications.Add(command);
                        break;
                }
            }
            if (previous is StreamState.Ready or StreamState.Lingering && !_machine.State.IsServing() && PlaylistReady)
                // Replace the signal only once it has fired, so waiters holding an unfired one are released by the next good run.
                Volatile.Write(ref _playlistReady, NewSignal());
            if (_machine.State.IsServing()) Volatile.Read(ref _playlistReady).TrySetResult(true);
            _ticks.Change(_machine.NextDueAt is { } due ? TimeSpan.FromTicks(Math.Max((due - time.GetUtcNow()).Ticks, 0)) : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        foreach (var notification in notifications)
        {
            switch (notification)
            {
                case StreamCommand.ReportOnline:
                    reportStatus(cameraId, true, null);
                    break;
                case StreamCommand.ReportOffline:
                    logger.LogWarning("Relay of camera {CameraId} failed {Failures} time(s) in a row; reporting it offline", cameraId, Status.ConsecutiveFailures);
                    reportStatus(cameraId, false, Volatile.Read(ref _lastCut)?.StatusCause ?? CameraStatusCauses.NoPicture);
                    break;
                case StreamCommand.Stopped when notifyIdle:
                    onIdle(this);
                    break;
            }
        }
    }

    /// <summary>Under the gate: one ffmpeg run with its own cancellation, reporting its first segment and its exit to the machine.</summary>
    private void StartRun()
    {
        _stopping = new CancellationTokenSource();
        if (_idle.Task.IsCompleted) _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var predecessor = _predecessorStopped;
        _predecessorStopped = Task.CompletedTask;
        _ = Task.Run(async () =>
        {
            await predecessor;
            var producedSegments = await RunOnceAsync();
            Apply(m => m.ProcessExited());
            if (Status is { State: StreamState.Backoff } failed)
                logger.LogWarning("Relay of camera {CameraId} ended unexpectedly {When} ({Failures} failure(s) in a row); restarting at {RetryAt:O}",
                    cameraId, producedSegments ? "after its first segment" : "before its first segment", failed.ConsecutiveFailures, failed.RetryAt);
        });
    }

    private void OnFirstSegment() => Apply(m => m.ProcessReady());

    /// <returns>Whether this run got as far as its first segment.</returns>
    private async Task<bool> RunOnceAsync()
    {
        string? lastError = null;
        var producedSegments = false;
        using var runEnded = new CancellationTokenSource();
        var pumps = new List<Task>();
        try
        {
            CameraFiles.Clear(folder);
            lock (_gate) _run = (time.GetTimestamp(), RecordingRestamp.None);
            Directory.CreateDirectory(folder);
            if (mask is not null) await File.WriteAllBytesAsync(Path.Combine(folder, CameraFiles.MaskImageFile), mask.Image, _stopping.Token);
            var (source, uplink) = await uplinks.OpenAsync(cameraId, streamUrl, _stopping.Token);
            await using (uplink)
            {
                var live = Listen(_original, pumps, runEnded.Token, encode ? null : CheckPlayable);
                var maskedLive = _masked is null ? null : Listen(_masked, pumps, runEnded.Token);
                var run = FfmpegRun.RunAsync(launcher, options.FfmpegPath,
                    commands.Relay(cameraId, source, folder, live, mask is null ? null : CameraFiles.MaskImageFile, maskedLive, encode),
                    line => lastError = StreamUrls.Redact(line), GracefulStop, _stopping.Token, id => Volatile.Write(ref _processId, id));

                producedSegments = await WaitForFirstSegmentAsync(run);
                if (producedSegments) OnFirstSegment();

                var exitCode = await run;
                Volatile.Write(ref _lastCut, uplink?.LastCut);
                if (!_stopping.IsCancellationRequested)
                    logger.LogWarning("ffmpeg relaying camera {CameraId} exited with code {ExitCode}; last error: {LastError}",
                        cameraId, exitCode, uplink?.LastCut?.Reason ?? lastError ?? "none");
            }
        }
        catch (UplinkRefusedException refused)
        {
            Volatile.Write(ref _lastCut, refused.Cut);
            logger.LogWarning("The relay of camera {CameraId} will not connect to it: {Reason}", cameraId, refused.Message);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped before ffmpeg started.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "ffmpeg relaying camera {CameraId} could not run", cameraId);
        }
        Volatile.Write(ref _processId, 0);
        await runEnded.CancelAsync();
        await Task.WhenAll(pumps).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return producedSegments;
    }

    /// <summary>Starts the feed over for a new run and listens for the run's stream of it; returns the URL ffmpeg writes to.</summary>
    private string Listen(LiveFeed feed, List<Task> pumps, CancellationToken runEnded, Func<LiveChunk, bool>? acceptInit = null)
    {
        feed.Restart();
        var socket = LiveSocket.Listen(socketFolder);
        pumps.Add(PumpAsync(socket, feed, runEnded, acceptInit));
        return socket.Url;
    }

    /// <summary>
    /// The copied stream's init segment names its codec: anything but H.264 no browser here can play (Mp4Track.CodecOf). Such
    /// a run is not published: a viewer that joined it would be told the codec is unsupported and leave the live path, when
    /// the relay that replaces it is about to encode; a viewer waiting on it is ended with the relay's stop and reconnects.
    /// </summary>
    private bool CheckPlayable(LiveChunk init)
    {
        if (init.Codec is not null) return true;
        onUnplayableCodec(this);
        return false;
    }

    private async Task PumpAsync(LiveSocket socket, LiveFeed feed, CancellationToken runEnded, Func<LiveChunk, bool>? acceptInit)
    {
        try
        {
            await socket.PumpAsync(feed, runEnded, acceptInit);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or System.Net.Sockets.SocketException)
        {
            // Closing the socket makes ffmpeg fail its write and exit, and the relay starts over, rather than stall its HLS behind an unread socket.
            logger.LogWarning("The live stream of camera {CameraId} could not be read ({Message}); restarting its relay", cameraId, ex.Message);
        }
    }

    /// <summary>ffmpeg writes the playlist only once the first segment is complete, so its appearance is the signal.</summary>
    private async Task<bool> WaitForFirstSegmentAsync(Task run)
    {
        using var poll = new PeriodicTimer(FilePollInterval);
        while (!File.Exists(PlaylistPath))
        {
            if (run.IsCompleted) return File.Exists(PlaylistPath);
            await Task.WhenAny(run, poll.WaitForNextTickAsync().AsTask());
        }
        return true;
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
