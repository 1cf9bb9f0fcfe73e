using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media.Live;

namespace SafetyNet.Grains.Media;

/// <summary>
/// One camera's relay: runs its ffmpeg, notices the first segment of each run, and restarts it with exponential backoff when
/// it exits while still wanted. Reports the camera offline after repeated failed runs and online when segments flow again.
/// Each run also feeds the live path: ffmpeg writes each rendition as fragmented MP4 to a socket in <paramref name="socketFolder"/>.
/// </summary>
internal sealed class Relay(
    string cameraId, string streamUrl, RelayMask? mask, string folder, string socketFolder, MediaOptions options, RelayCommands commands,
    ChildProcessLauncher launcher, Action<string, bool> reportStatus, ILogger logger)
{
    /// <summary>How long ffmpeg gets after "q" to write its last segment and playlist before it is killed.</summary>
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan FilePollInterval = TimeSpan.FromMilliseconds(50);

    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource<bool> _playlistReady = NewSignal();
    private Task _supervisor = Task.CompletedTask;
    private readonly LiveFeed _original = new(options.LiveGopCacheBytes, options.LiveViewerQueueBytes);
    private readonly LiveFeed? _masked = mask is null ? null : new(options.LiveGopCacheBytes, options.LiveViewerQueueBytes);

    public string CameraId => cameraId;
    public string StreamUrl => streamUrl;
    public RelayMask? Mask => mask;
    public string Folder => folder;
    public string PlaylistPath => Path.Combine(folder, CameraFiles.Playlist);
    public bool PlaylistReady => Volatile.Read(ref _playlistReady).Task is { IsCompletedSuccessfully: true, Result: true };
    public RelayInfo Info => new(cameraId, PlaylistPath, PlaylistReady);

    /// <param name="predecessorStopped">The previous relay of this camera, which must be gone before this one writes to the same folder.</param>
    public void Start(Task predecessorStopped) => _supervisor = Task.Run(() => SuperviseAsync(predecessorStopped));

    public async Task<bool> WaitForPlaylistAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await Volatile.Read(ref _playlistReady).Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The rendition's live feed; null for the masked rendition of a relay started without a mask.</summary>
    public LiveFeed? Feed(MediaRendition rendition) => rendition == MediaRendition.Masked ? _masked : _original;

    public async Task StopAsync()
    {
        // The run answers the cancellation by sending "q", and kills ffmpeg if it is still there after the grace period.
        await _stopping.CancelAsync();
        await _supervisor;
        _original.End();
        _masked?.End();
        _playlistReady.TrySetResult(false);
        CameraFiles.Remove(folder);
    }

    private async Task SuperviseAsync(Task predecessorStopped)
    {
        await predecessorStopped;
        var consecutiveFailures = 0;
        while (!_stopping.IsCancellationRequested)
        {
            var producedSegments = await RunOnceAsync();
            if (_stopping.IsCancellationRequested) break;

            consecutiveFailures = producedSegments ? 1 : consecutiveFailures + 1;
            if (consecutiveFailures >= options.FailuresBeforeOffline) reportStatus(cameraId, false);
            var backoff = Backoff(consecutiveFailures);
            logger.LogWarning("Relay of camera {CameraId} ended unexpectedly ({Failures} failure(s) in a row); restarting in {Backoff} ms",
                cameraId, consecutiveFailures, (int)backoff.TotalMilliseconds);
            try
            {
                await Task.Delay(backoff, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

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
            Directory.CreateDirectory(folder);
            if (mask is not null) await File.WriteAllBytesAsync(Path.Combine(folder, CameraFiles.MaskImageFile), mask.Image, _stopping.Token);
            var live = Listen(_original, pumps, runEnded.Token);
            var maskedLive = _masked is null ? null : Listen(_masked, pumps, runEnded.Token);
            var run = FfmpegRun.RunAsync(launcher, options.FfmpegPath,
                commands.Relay(cameraId, streamUrl, folder, live, mask is null ? null : CameraFiles.MaskImageFile, maskedLive), line => lastError = StreamUrls.Redact(line),
                GracefulStop, _stopping.Token);

            producedSegments = await WaitForFirstSegmentAsync(run);
            if (producedSegments)
            {
                Volatile.Read(ref _playlistReady).TrySetResult(true);
                if (!_stopping.IsCancellationRequested) reportStatus(cameraId, true);
            }

            var exitCode = await run;
            if (!_stopping.IsCancellationRequested)
                logger.LogWarning("ffmpeg relaying camera {CameraId} exited with code {ExitCode}; last error: {LastError}",
                    cameraId, exitCode, lastError ?? "none");
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped before ffmpeg started.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "ffmpeg relaying camera {CameraId} could not run", cameraId);
        }
        await runEnded.CancelAsync();
        await Task.WhenAll(pumps).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // Replace the signal only once it has fired, so waiters holding an unfired one are released by the next good run.
        if (PlaylistReady) Volatile.Write(ref _playlistReady, NewSignal());
        return producedSegments;
    }

    /// <summary>Starts the feed over for a new run and listens for the run's stream of it; returns the URL ffmpeg writes to.</summary>
    private string Listen(LiveFeed feed, List<Task> pumps, CancellationToken runEnded)
    {
        feed.Restart();
        var socket = LiveSocket.Listen(socketFolder);
        pumps.Add(PumpAsync(socket, feed, runEnded));
        return socket.Url;
    }

    private async Task PumpAsync(LiveSocket socket, LiveFeed feed, CancellationToken runEnded)
    {
        try
        {
            await socket.PumpAsync(feed, runEnded);
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

    private TimeSpan Backoff(int consecutiveFailures)
    {
        var doublings = Math.Min(consecutiveFailures - 1, 30);
        var delay = options.RestartBackoffInitial * Math.Pow(2, doublings);
        return delay < options.RestartBackoffMax ? delay : options.RestartBackoffMax;
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
