using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Grains.Media.Live;
using SafetyNet.Grains.Media.Uplink;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Grains.Media;

/// <summary>
/// This node's media plane: at most one ffmpeg relay per camera, running while it has consumers (viewers' leases, incidents'
/// pre-warms) and for the linger period after the last one leaves, and stopped on request or at shutdown.
/// Every ffmpeg dies with the node (see <see cref="ChildProcessLauncher"/>). Start it (IHostedService) before the first relay:
/// starting checks that, and sweeps any ffmpeg an earlier run of this node left behind, as a second line of defence.
/// </summary>
public sealed class RelayHost(IOptions<MediaOptions> options, IRelayStatusSink statusSink, CameraUplinks uplinks, ILogger<RelayHost> logger, TimeProvider? time = null,
    ICpuLoad? cpuLoad = null)
    : IHostedService, IAsyncDisposable, IClockStepFollower
{
    private static readonly TimeSpan FilePollInterval = TimeSpan.FromMilliseconds(50);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly MediaOptions _options = options.Value;
    private readonly RelayCommands _commands = new(options.Value);
    private readonly ChildProcessLauncher _launcher = new(options.Value.SetprivPath);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Relay> _relays = [];
    /// <summary>Relays being stopped, by camera, so that a new relay of the camera starts only once the old one has let go of the folder.</summary>
    private readonly Dictionary<string, Task> _stopping = [];
    /// <summary>
    /// Cameras found sending a codec browsers cannot play, with the stream URL they were found on: their relays encode H.264
    /// from the start (a changed URL is tried with a copy again).
    /// </summary>
    private readonly Dictionary<string, string> _encoded = [];
    /// <summary>The last status reported per camera; a camera is reported only when its status changes (or first becomes known).</summary>
    private readonly Dictionary<string, bool> _reportedOnline = [];
    /// <summary>Each playlist as last parsed, by path, with the write time and length it was parsed at: segment requests read it often.</summary>
    private readonly ConcurrentDictionary<string, (DateTime WrittenAt, long Length, HlsPlaylist Playlist)> _playlists = new(StringComparer.Ordinal);
    /// <summary>Offline cameras' recheck snapshots running now: at most Media:OfflineRecheckConcurrency.</summary>
    private readonly SemaphoreSlim _recheckSlots = new(options.Value.OfflineRecheckConcurrency);
    /// <summary>Cancelled when the node stops: rechecks still waiting for a slot are not started.</summary>
    private readonly CancellationTokenSource _stopped = new();
    private long _rechecksNotConnected;
    private long _recheckSnapshots;
    private int _rechecksWaiting;
    private bool _shutDown;
    private long _encodesRefused;
    private long _encodesYielded;
    /// <summary>
    /// The live path's sockets live here: a fresh 0700 folder (mkdtemp) under the system's temporary directory, whose short
    /// path keeps every socket path within the 108 bytes a unix socket allows, whatever the working directory is.
    /// </summary>
    private readonly string _socketFolder = Directory.CreateTempSubdirectory("sn-live-").FullName;

    /// <summary>Cameras whose stream is not idle: starting, serving, lingering, in backoff or stopping.</summary>
    public IReadOnlyCollection<string> RunningCameras
    {
        get
        {
            lock (_gate) return [.. _relays.Values.Where(r => r.Status.State != StreamState.Idle).Select(r => r.CameraId)];
        }
    }

    public IReadOnlyList<StreamStatus> Streams
    {
        get
        {
            lock (_gate) return [.. _relays.Values.Select(r => r.Status)];
        }
    }

    /// <summary>Relays encoding H.264 because their camera's codec plays in no browser (<see cref="EncodeFromNowOn"/>).</summary>
    public int EncodingStreams
    {
        get
        {
            lock (_gate) return _relays.Values.Count(r => r.Encodes);
        }
    }

    /// <summary>New encoding relays refused since start because the node's CPUs were too busy (<see cref="MediaOptions.NewEncodeCpuLimit"/>).</summary>
    public long EncodesRefused => Interlocked.Read(ref _encodesRefused);

    /// <summary>Offline cameras' rechecks since start that ended at the bare connection: the camera took none.</summary>
    public long RechecksNotConnected => Interlocked.Read(ref _rechecksNotConnected);

    /// <summary>Offline cameras' rechecks since start that went on to a snapshot (an ffmpeg).</summary>
    public long RecheckSnapshots => Interlocked.Read(ref _recheckSnapshots);

    /// <summary>Rechecks waiting now for one of the Media:OfflineRecheckConcurrency snapshot slots.</summary>
    public int RechecksWaiting => Volatile.Read(ref _rechecksWaiting);

    /// <summary>Running encodes stopped since start to make room for a more urgent one on a busy node (<see cref="MakeRoomToEncode"/>).</summary>
    public long EncodesYielded => Interlocked.Read(ref _encodesYielded);

    public StreamStatus StatusOf(string cameraId)
    {
        lock (_gate) return _relays.GetValueOrDefault(cameraId)?.Status ?? StreamStatus.None(cameraId);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _launcher.VerifyAsync($"{MediaOptions.Section}:{nameof(MediaOptions.SetprivPath)}");
        Directory.CreateDirectory(_options.WorkingDirectory);
        var orphans = TaggedProcesses.FindForNode(_options.NodeTag);
        if (orphans.Count > 0)
            logger.LogWarning("Ended {Count} ffmpeg process(es) left by an earlier run of node {NodeTag}",
                TaggedProcesses.KillAll(orphans), _options.NodeTag);
        foreach (var folder in Directory.EnumerateDirectories(_options.WorkingDirectory))
            if (CameraFiles.IsValidCameraId(Path.GetFileName(folder))) CameraFiles.Remove(folder);
        var scratch = Path.Combine(_options.WorkingDirectory, CameraFiles.ScratchFolder);
        if (Directory.Exists(scratch))
            foreach (var leftover in Directory.EnumerateFiles(scratch).Where(f => CameraFiles.IsScratchFile(Path.GetFileName(f)))) CameraFiles.TryDelete(leftover);
        var clips = Path.Combine(_options.WorkingDirectory, CameraFiles.ClipScratchFolder);
        if (Directory.Exists(clips)) Directory.Delete(clips, recursive: true);
    }

    public TimeSpan FirstRequestWait => _options.FirstRequestWait;

    /// <summary>How long a segment stays in the live playlist a viewer without the recorded-video right gets.</summary>
    public TimeSpan LiveWindow => _options.LiveWindow;

    /// <summary>How long a running relay keeps its segments: files of a running relay older than this are past the rewind window.</summary>
    public TimeSpan RewindWindow => _options.RewindWindow;

    /// <summary>
    /// Deletes working files that nothing will serve again: past the live window, the folders of cameras without a relay
    /// (a stop that could not clear them) and snapshot scratch files a failed grab left; past the rewind window, segments a
    /// running relay's playlist no longer lists (ffmpeg missed deleting them, or a restart orphaned them). A running relay's
    /// segments are judged by the rewind window, so a playlist unreadable for a moment never costs the window. Returns how
    /// many files went.
    /// </summary>
    public int SweepStaleFiles(DateTime utcNow)
    {
        if (!Directory.Exists(_options.WorkingDirectory)) return 0;
        var staleBefore = utcNow - LiveWindow;
        bool Stale(string file) => File.GetLastWriteTimeUtc(file) < staleBefore;
        bool PastWindow(string file) => File.GetLastWriteTimeUtc(file) < utcNow - RewindWindow;
        Dictionary<string, string> running;
        lock (_gate) running = _relays.Values.ToDictionary(r => r.Folder, r => r.CameraId);
        var swept = 0;
        foreach (var folder in Directory.EnumerateDirectories(_options.WorkingDirectory))
        {
            var name = Path.GetFileName(folder);
            if (name == CameraFiles.ScratchFolder)
                swept += CameraFiles.DeleteWhere(folder, f => CameraFiles.IsScratchFile(Path.GetFileName(f)) && Stale(f));
            else if (!CameraFiles.IsValidCameraId(name)) continue;
            else if (!running.ContainsKey(Path.GetFullPath(folder)))
                swept += CameraFiles.DeleteWhere(folder, f => CameraFiles.IsRelayFile(Path.GetFileName(f)) && Stale(f));
            else
            {
                var listed = CameraFiles.ListedSegments(Path.Combine(folder, CameraFiles.Playlist));
                listed.UnionWith(CameraFiles.ListedSegments(Path.Combine(folder, CameraFiles.MaskedPlaylist)));
                swept += CameraFiles.DeleteWhere(folder, f => CameraFiles.IsSegment(Path.GetFileName(f)) && !listed.Contains(Path.GetFileName(f)) && PastWindow(f));
            }
        }
        return swept;
    }

    /// <summary>
    /// Adds the consumer to the camera's stream (again: a renewal replaces it), starting the relay unless it runs already; a
    /// changed stream URL or mask restarts it with its consumers. With a mask, the one pull also feeds the masked rendition.
    /// Returns at once: see <see cref="AwaitPlaylistAsync"/>.
    /// </summary>
    public StreamStatus Acquire(string cameraId, string streamUrl, RelayMask? mask, StreamConsumer consumer)
    {
        var folder = CameraFiles.FolderFor(_options.WorkingDirectory, cameraId);
        RelayCommands.Validate(streamUrl);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_shutDown, this);
            IReadOnlyList<StreamConsumer> carried = [];
            if (_relays.TryGetValue(cameraId, out var running))
            {
                if (running.StreamUrl == streamUrl && running.Mask?.Key == mask?.Key)
                {
                    running.Add(consumer);
                    return running.Status;
                }
                // A changed URL or mask applies at once whatever the load: a mask must never wait for CPU.
                carried = running.Consumers;
                BeginStop(running);
            }
            else if (Relay.RunsEncoderFor(streamUrl, mask, _encoded.GetValueOrDefault(cameraId) == streamUrl) && MakeRoomToEncode(cameraId, [consumer]) is (var busy, var withOneMore))
                RefuseEncodeWhileBusy(cameraId, busy, withOneMore);
            return Start(cameraId, streamUrl, mask, folder, [.. carried, consumer]).Status;
        }
    }

    /// <summary>Under the gate: throws (503): a new encoding relay would take CPU the running streams and the node need.</summary>
    private void RefuseEncodeWhileBusy(string cameraId, double busy, double withOneMore)
    {
        Interlocked.Increment(ref _encodesRefused);
        logger.LogWarning("Not starting camera {CameraId}'s relay: it must encode, and this node's CPUs were {Busy:P0} busy, about {WithOneMore:P0} with one more encode " +
            "(Media:NewEncodeCpuLimit {Limit:P0})", cameraId, busy, withOneMore, _options.NewEncodeCpuLimit);
        throw DomainException.Unavailable($"This node's CPUs are {busy:P0} busy, about {withOneMore:P0} with one more encode, above its limit for starting one " +
            $"({_options.NewEncodeCpuLimit:P0}, Media:NewEncodeCpuLimit), and camera '{cameraId}' must be encoded (a privacy mask, or a codec browsers cannot " +
            "play); try again shortly.", RefusalReasons.NodeBusyEncoding);
    }

    /// <summary>
    /// Under the gate: null when a new encode for <paramref name="wanting"/> may start, because the node has room for it or a
    /// running encode gave way (<see cref="EncodeThatYieldsTo"/>: stopped here, its viewers' leases ended by their camera).
    /// Otherwise the load that refuses it (<see cref="TooBusyToEncode"/>).
    /// </summary>
    private (double Busy, double WithOneMore)? MakeRoomToEncode(string cameraId, IReadOnlyCollection<StreamConsumer> wanting)
    {
        if (TooBusyToEncode() is not { } load) return null;
        if (EncodeThatYieldsTo(wanting) is not { } yielding) return load;
        var viewers = yielding.Consumers.Where(c => c.Kind == ConsumerKind.Viewer).Select(c => c.Id).ToArray();
        BeginStop(yielding);
        Interlocked.Increment(ref _encodesYielded);
        logger.LogWarning("Camera {CameraId}'s encode gave way to camera {ForCameraId}'s: this node's CPUs were {Busy:P0} busy (Media:NewEncodeCpuLimit {Limit:P0}); " +
            "its {Viewers} viewer(s), all standing-access of lower priority, lose their leases", yielding.CameraId, cameraId, load.Busy, _options.NewEncodeCpuLimit, viewers.Length);
        if (viewers.Length > 0) _ = Task.Run(() => ReportEncodeYieldedAsync(yielding.CameraId, viewers, cameraId));
        return null;
    }

    /// <summary>
    /// Under the gate: the running encode that gives way to a new one for <paramref name="wanting"/>: one nobody watches
    /// (lingering) for anyone; otherwise one whose every consumer yields to the most urgent viewer wanting the new one
    /// (<see cref="StreamConsumer.YieldsTo"/>: pre-warms to a viewer under an incident's grant, standing-access viewers to one
    /// of higher priority). Those nobody watches go first, then the least urgent, then the most recently started.
    /// </summary>
    private Relay? EncodeThatYieldsTo(IReadOnlyCollection<StreamConsumer> wanting)
    {
        var mostUrgent = wanting.Where(c => c.Kind == ConsumerKind.Viewer).OrderBy(c => c.Priority).ThenBy(c => c.Standing).FirstOrDefault();
        return _relays.Values
            .Where(r => r.RunsEncoder && r.Status.State is StreamState.Starting or StreamState.Ready or StreamState.Lingering)
            .Select(r => (Relay: r, Viewers: r.Consumers.Where(c => c.Kind == ConsumerKind.Viewer).ToList(), Consumers: r.Consumers))
            .Where(c => c.Consumers.Count == 0 || mostUrgent is not null && c.Consumers.All(consumer => consumer.YieldsTo(mostUrgent)))
            .OrderBy(c => c.Viewers.Count == 0 ? 0 : 1)
            .ThenByDescending(c => c.Viewers.Count == 0 ? 0 : c.Viewers.Min(viewer => viewer.Priority))
            .ThenByDescending(c => c.Relay.CreatedAt)
            .Select(c => c.Relay)
            .FirstOrDefault();
    }

    /// <summary>
    /// Under the gate: the node's recent CPU share, and that share with one more encode at what this node's running encodes
    /// cost, when the latter is above the limit; null when an encode may start (always, with the limit at 1: off).
    /// </summary>
    private (double Busy, double WithOneMore)? TooBusyToEncode() =>
        _options.NewEncodeCpuLimit < 1 && LoadWithOneMore() is { } load && Refuses(load) ? load : null;

    /// <summary>Whether a new encode is refused at this load (never with the limit at 1: off).</summary>
    private bool Refuses((double Busy, double WithOneMore)? load) => _options.NewEncodeCpuLimit < 1 && load?.WithOneMore > _options.NewEncodeCpuLimit;

    /// <summary>
    /// Under the gate: the node's recent CPU share (null before it is known), and that share with one more encode at what its
    /// running encodes cost (read per ffmpeg process only while the share alone is under the limit).
    /// </summary>
    private (double Busy, double WithOneMore)? LoadWithOneMore() => cpuLoad?.RecentShare is { } busy
        ? (busy, busy > _options.NewEncodeCpuLimit ? busy : busy + (OneMoreEncodeShareUnderGate() ?? 0))
        : null;

    /// <summary>Whether this node would start one more encode now, for a camera elsewhere deciding where to move (<see cref="Placement.EncodeRoom"/>).</summary>
    public Placement.EncodeRoom EncodeRoom
    {
        get
        {
            lock (_gate)
            {
                // One reading for both the numbers and the answer: the running encodes' cost is read from /proc.
                var load = LoadWithOneMore();
                return new Placement.EncodeRoom(load?.Busy, load?.WithOneMore ?? 0, HasRoom: !Refuses(load));
            }
        }
    }

    /// <summary>What one more encode is expected to add to the node's CPU share: the mean of its running encodes; null with none running long enough.</summary>
    public double? OneMoreEncodeShare
    {
        get
        {
            lock (_gate) return OneMoreEncodeShareUnderGate();
        }
    }

    private double? OneMoreEncodeShareUnderGate() =>
        EncodeCost.MeanShareOf(_relays.Values.Where(r => r.RunsEncoder).Select(r => r.ProcessId).OfType<int>());

    /// <summary>Under the gate: a new relay of the camera with its consumers, which starts once the camera's previous relay has stopped.</summary>
    private Relay Start(string cameraId, string streamUrl, RelayMask? mask, string folder, IEnumerable<StreamConsumer> consumers)
    {
        var encode = _encoded.GetValueOrDefault(cameraId) == streamUrl;
        var relay = new Relay(cameraId, streamUrl, mask, encode, folder, _socketFolder, _options, _commands, uplinks,
            _launcher, ReportStatus, ForgetIdle, EncodeFromNowOn, _stopping.GetValueOrDefault(cameraId, Task.CompletedTask), _time, logger);
        _relays[cameraId] = relay;
        foreach (var consumer in consumers) relay.Add(consumer);
        logger.LogInformation("Relay of camera {CameraId} starting{Encoding}", cameraId, encode ? ", encoding H.264" : "");
        return relay;
    }

    /// <summary>
    /// The camera sends pictures no browser here can play (not H.264: H.265, say), so copying them would give its viewers
    /// nothing. Its relay starts over encoding H.264, with its consumers, and so does every later relay of the camera on
    /// this node while its stream URL stays the same. The encode costs CPU the copy did not (docs/benchmarks.md). Only the
    /// camera's current relay is replaced, so a report from one already replaced or stopping changes nothing.
    /// </summary>
    private void EncodeFromNowOn(Relay relay)
    {
        lock (_gate)
        {
            if (_shutDown || _relays.GetValueOrDefault(relay.CameraId) != relay) return;
            _encoded[relay.CameraId] = relay.StreamUrl;
            var consumers = relay.Consumers;
            BeginStop(relay);
            if (MakeRoomToEncode(relay.CameraId, consumers) is (var busy, var withOneMore))
            {
                // Its viewers' next requests start it again, encoding, once the load allows (until then they are told why).
                Interlocked.Increment(ref _encodesRefused);
                logger.LogWarning("Camera {CameraId} sends video that browsers cannot play (not H.264), and this node's CPUs were {Busy:P0} busy, about " +
                    "{WithOneMore:P0} with one more encode (Media:NewEncodeCpuLimit {Limit:P0}): its relay stopped instead of encoding",
                    relay.CameraId, busy, withOneMore, _options.NewEncodeCpuLimit);
                return;
            }
            Start(relay.CameraId, relay.StreamUrl, relay.Mask, relay.Folder, consumers);
        }
        logger.LogWarning("Camera {CameraId} sends video that browsers cannot play (not H.264); its relay now encodes H.264, at a CPU cost the copy did not have",
            relay.CameraId);
    }

    /// <summary>A running relay whose stream URL or mask changed restarts with them, keeping its consumers; otherwise nothing happens.</summary>
    public void Reconfigure(string cameraId, string streamUrl, RelayMask? mask)
    {
        StreamConsumer? holder;
        lock (_gate) holder = _relays.GetValueOrDefault(cameraId)?.Consumers.FirstOrDefault();
        if (holder is not null) Acquire(cameraId, streamUrl, mask, holder);
    }

    /// <summary>The consumer lets go; the last one leaving starts the linger period.</summary>
    public void Release(string cameraId, string consumerId)
    {
        lock (_gate) _relays.GetValueOrDefault(cameraId)?.Remove(consumerId);
    }

    /// <summary>
    /// True once the camera's playlist is ready; false if it is not within <paramref name="timeout"/>, or no relay runs. A relay
    /// replaced while waited for (to encode, or for a new stream URL or mask) is followed by its successor's playlist.
    /// </summary>
    public async Task<bool> WaitForPlaylistAsync(string cameraId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        Relay? waited = null;
        while (true)
        {
            Relay? relay;
            lock (_gate) relay = _relays.GetValueOrDefault(cameraId);
            if (relay is null || relay == waited) return false;
            var left = timeout - _time.GetElapsedTime(started);
            if (await relay.WaitForPlaylistAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken)) return true;
            waited = relay;
        }
    }

    /// <summary>
    /// For a first playlist request: the playlist's path in <paramref name="rendition"/> once the stream serves it, waiting
    /// up to Media:FirstRequestWait; otherwise null and the stream's status, which says why (still starting, in backoff, idle).
    /// A stream in backoff whose next start falls after the deadline answers at once.
    /// </summary>
    public async Task<(string? Playlist, StreamStatus Status)> AwaitPlaylistAsync(string cameraId, MediaRendition rendition, CancellationToken cancellationToken)
    {
        var wait = _options.FirstRequestWait;
        var started = _time.GetTimestamp();
        var status = StatusOf(cameraId);
        if (status.State == StreamState.Backoff && status.RetryAt > _time.GetUtcNow() + wait) return (null, status);
        if (status.State != StreamState.Idle) await WaitForPlaylistAsync(cameraId, wait, cancellationToken);
        // A masked rendition's playlist can appear a moment after the original's: its encode starts with the first frames.
        while (true)
        {
            status = StatusOf(cameraId);
            if (!status.IsServing) return (null, status);
            if (ResolveFile(cameraId, CameraFiles.Playlist, rendition) is { } playlist) return (playlist, status);
            if (_time.GetElapsedTime(started) >= wait) return (null, status);
            await Task.Delay(FilePollInterval, _time, cancellationToken);
        }
    }

    /// <summary>Stops the camera's relay for good, dropping its consumers (the camera grain is going, or its stream is refused).</summary>
    public Task StopAsync(string cameraId)
    {
        lock (_gate)
            return _relays.TryGetValue(cameraId, out var relay) ? BeginStop(relay) : _stopping.GetValueOrDefault(cameraId, Task.CompletedTask);
    }

    /// <summary>
    /// A new viewer of the camera's live stream in <paramref name="rendition"/>: the init segment and the cached group of
    /// pictures at once, then every fragment. Null when no relay of the camera runs here, or it has no such rendition.
    /// </summary>
    public ILiveView? WatchLive(string cameraId, MediaRendition rendition)
    {
        lock (_gate) return _relays.GetValueOrDefault(cameraId)?.Feed(rendition)?.Watch();
    }

    /// <summary>
    /// The full path of a file the camera's running relay serves in <paramref name="rendition"/> (the playlist, a segment,
    /// the latest frame), or null: for a camera without a relay, a file that does not exist, or a name that is not one of
    /// that rendition's plain file names (see <see cref="CameraFiles.ServedName"/>). Without <paramref name="window"/> (a
    /// lease without the recorded-video right) only segments of the live window are served, and not the window playlist.
    /// </summary>
    public string? ResolveFile(string cameraId, string fileName, MediaRendition rendition, bool window = false)
    {
        if (!CameraFiles.IsValidCameraId(cameraId) || CameraFiles.ServedName(fileName, rendition) is not { } served) return null;
        if (!window && fileName == CameraFiles.WindowPlaylist) return null;
        if (FolderOf(cameraId, rendition) is not { } folder) return null;
        var path = Path.GetFullPath(Path.Combine(folder, served));
        if (Path.GetDirectoryName(path) != folder || !File.Exists(path)) return null;
        if (!window && CameraFiles.IsSegmentName(served) && !IsLive(folder, rendition, served)) return null;
        return path;
    }

    /// <summary>
    /// The rendition's playlist as a viewer gets it: cut to the live window, or with <paramref name="window"/> the whole rewind
    /// window; null when the relay has none ready.
    /// </summary>
    /// <remarks>Its stamps follow the wall clock's steps since the relay's ffmpeg started (<see cref="Follow"/>).</remarks>
    public HlsPlaylist? ReadPlaylist(string cameraId, MediaRendition rendition, bool window)
    {
        if (ResolveFile(cameraId, window ? CameraFiles.WindowPlaylist : CameraFiles.Playlist, rendition, window) is not { } path) return null;
        if (Parsed(path) is not { } written) return null;
        Relay? relay;
        lock (_gate) relay = _relays.GetValueOrDefault(cameraId);
        var playlist = relay?.Restamped(written) ?? written;
        return window ? playlist : playlist.Newest(_options.PlaylistLength);
    }

    /// <summary>
    /// The wall clock stepped: every relay running since before the step moves the stamps of what it records from then on,
    /// so a rewind to a time finds the picture recorded when the node's clock read that time. The files stay as ffmpeg wrote
    /// them; only the playlists read through <see cref="ReadPlaylist"/> carry the moved stamps.
    /// </summary>
    public void Follow(ClockStep step)
    {
        List<Relay> relays;
        lock (_gate) relays = [.. _relays.Values];
        var following = relays.Count(relay => relay.Follow(step));
        if (following > 0)
            logger.LogWarning("The wall clock stepped {Seconds:+0.000;-0.000} s: {Relays} running relay(s) stamp what they record from now on by the new clock",
                step.Size.TotalSeconds, following);
    }

    /// <summary>A live viewer may fetch what ffmpeg would still keep with a live-sized list: the live window and the one segment past it.</summary>
    private bool IsLive(string folder, MediaRendition rendition, string segment) =>
        Parsed(Path.Combine(folder, rendition == MediaRendition.Masked ? CameraFiles.MaskedPlaylist : CameraFiles.Playlist)) is { } playlist
        && playlist.Newest(_options.PlaylistLength + 1).Segments.Any(s => s.Name == segment);

    private string? FolderOf(string cameraId, MediaRendition rendition)
    {
        lock (_gate)
        {
            if (!_relays.TryGetValue(cameraId, out var relay)) return null;
            // A relay started before the camera was masked has no masked rendition yet: nothing, rather than the original.
            return rendition == MediaRendition.Masked && relay.Mask is null ? null : relay.Folder;
        }
    }

    private HlsPlaylist? Parsed(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) return null;
        if (_playlists.TryGetValue(path, out var cached) && cached.WrittenAt == file.LastWriteTimeUtc && cached.Length == file.Length) return cached.Playlist;
        try
        {
            var playlist = HlsPlaylist.Parse(File.ReadAllText(path));
            _playlists[path] = (file.LastWriteTimeUtc, file.Length, playlist);
            return playlist;
        }
        catch (IOException)
        {
            // ffmpeg replaced it this instant and the old one is gone: as if not written yet.
            return null;
        }
    }

    /// <summary>
    /// A JPEG of the camera: the running relay's newest keyframe, decoded from its GOP cache (waiting for the first one up to
    /// the input timeout), or else a one-shot grab. Throws <see cref="MediaUnavailableException"/> when the camera gives no
    /// picture in time.
    /// </summary>
    public async Task<byte[]> SnapshotAsync(string cameraId, string streamUrl, CancellationToken cancellationToken)
    {
        CameraFiles.FolderFor(_options.WorkingDirectory, cameraId);
        Relay? running;
        // A relay waiting out its backoff has no picture to give: the camera is asked directly, as with no relay.
        lock (_gate) running = _relays.GetValueOrDefault(cameraId) is { } relay && relay.StreamUrl == streamUrl && relay.Status.State != StreamState.Backoff ? relay : null;
        if (running?.Feed(MediaRendition.Original) is not { } feed) return await GrabOneFrameAsync(cameraId, streamUrl, cancellationToken);
        var (init, keyframe) = await feed.NewestKeyframeAsync(_options.InputTimeout, cancellationToken)
            ?? throw NoKeyframe(cameraId, running.Status.LastCut);
        return await DecodeKeyframeAsync(cameraId, init, keyframe, cancellationToken);
    }

    /// <summary>
    /// An offline camera tried for a picture with nobody watching: first with a bare connection, and only when it takes one
    /// with a snapshot, among at most Media:OfflineRecheckConcurrency at once on this node. A district's power cut takes
    /// hundreds of cameras offline together: an ffmpeg for each, all waiting out the same timeouts, would take the node's
    /// CPU and memory from the viewers and decisions it serves.
    /// </summary>
    public async Task<byte[]> RecheckSnapshotAsync(string cameraId, string streamUrl, CancellationToken cancellationToken)
    {
        if (await uplinks.UnreachableAsync(streamUrl, cancellationToken) is { } cut)
        {
            Interlocked.Increment(ref _rechecksNotConnected);
            throw CutOff(cameraId, cut);
        }
        Interlocked.Increment(ref _rechecksWaiting);
        try
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopped.Token);
            await _recheckSlots.WaitAsync(waiting.Token);
        }
        finally
        {
            Interlocked.Decrement(ref _rechecksWaiting);
        }
        try
        {
            Interlocked.Increment(ref _recheckSnapshots);
            return await SnapshotAsync(cameraId, streamUrl, cancellationToken);
        }
        finally
        {
            _recheckSlots.Release();
        }
    }

    /// <summary>The node cut its connection to the camera, or never made it: the cut says why, in the words a console gives it.</summary>
    private static MediaUnavailableException CutOff(string cameraId, UplinkCut cut) =>
        new(cameraId, $"Camera '{cameraId}' gave no picture: {cut.Reason}", cut.RefusalReason, cut.StatusCause);

    /// <summary>A running relay gave no keyframe in time: its last run's cut, if the node cut it, says why.</summary>
    private MediaUnavailableException NoKeyframe(string cameraId, UplinkCut? lastCut) => lastCut is { } cut
        ? CutOff(cameraId, cut)
        : new MediaUnavailableException(cameraId, $"Camera '{cameraId}' sent no keyframe within {_options.InputTimeout.TotalSeconds:F0} s.");

    /// <summary>
    /// The JPEG with <paramref name="caption"/> (one entry a line) burnt in, and <paramref name="mask"/> laid over it first
    /// when given. Throws <see cref="MediaUnavailableException"/> when ffmpeg cannot: an image without its evidence (or its
    /// mask) is never handed out instead.
    /// </summary>
    public async Task<byte[]> StampAsync(string cameraId, byte[] jpeg, IReadOnlyList<string> caption, RelayMask? mask, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(_options.WorkingDirectory, CameraFiles.ScratchFolder);
        Directory.CreateDirectory(scratch);
        var name = Guid.NewGuid().ToString("N");
        var (input, captionFile, output) = (Path.Combine(scratch, $"{name}-in.jpg"), Path.Combine(scratch, $"{name}.txt"), Path.Combine(scratch, $"{name}-out.jpg"));
        var maskFile = Path.Combine(scratch, $"{name}-mask.pam");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.InputTimeout * 2);
        try
        {
            await File.WriteAllBytesAsync(input, jpeg, cancellationToken);
            if (mask is not null) await File.WriteAllBytesAsync(maskFile, mask.Image, cancellationToken);
            // Control characters would break the caption's lines; everything else is drawn as written.
            await File.WriteAllTextAsync(captionFile, string.Join('\n', caption.Select(line => new string(line.Select(c => char.IsControl(c) ? ' ' : c).ToArray()))), cancellationToken);
            return await RunToJpegAsync(cameraId, _commands.Stamp(input, captionFile, output, mask is null ? null : maskFile), output, "Stamping a snapshot",
                $"The snapshot of camera '{cameraId}' could not be stamped with its evidence.", deadline.Token, cancellationToken);
        }
        finally
        {
            CameraFiles.TryDelete(input);
            CameraFiles.TryDelete(captionFile);
            CameraFiles.TryDelete(output);
            CameraFiles.TryDelete(maskFile);
        }
    }

    /// <summary>
    /// Writes the newest segments of the camera's rewind window, at most <paramref name="maxSeconds"/> of them (at least one),
    /// to <paramref name="outputFile"/> as MP4, remuxed, not re-encoded. Returns the clip's length by the playlist.
    /// Throws <see cref="MediaUnavailableException"/> when no relay runs or its window is still empty.
    /// </summary>
    public async Task<TimeSpan> CutClipAsync(string cameraId, int maxSeconds, string outputFile, MediaRendition rendition, CancellationToken cancellationToken)
    {
        string folder;
        lock (_gate)
        {
            if (!_relays.TryGetValue(cameraId, out var relay) || !relay.PlaylistReady)
                throw new MediaUnavailableException(cameraId, $"Camera '{cameraId}' has no live window to cut a clip from: nobody is watching it now.");
            folder = relay.Folder;
        }
        var scratch = Path.Combine(_options.WorkingDirectory, CameraFiles.ClipScratchFolder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var segments = CopyNewestSegments(cameraId, folder, rendition == MediaRendition.Masked ? CameraFiles.MaskedPlaylist : CameraFiles.Playlist, maxSeconds, scratch);
            var list = Path.Combine(scratch, "segments.txt");
            await File.WriteAllLinesAsync(list, segments.Select(s => $"file '{s.Name}'"), cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_options.InputTimeout * 2);
            var errors = new List<string>();
            var exitCode = await FfmpegRun.RunAsync(_launcher, _options.FfmpegPath, RelayCommands.Remux(list, outputFile), errors.Add, TimeSpan.Zero, deadline.Token);
            if (exitCode != 0 || !File.Exists(outputFile))
            {
                logger.LogWarning("Cutting a clip of camera {CameraId} failed (exit {ExitCode}): {Errors}", cameraId, exitCode, string.Join(" | ", errors));
                throw new MediaUnavailableException(cameraId, $"The clip of camera '{cameraId}' could not be written.");
            }
            return TimeSpan.FromSeconds(segments.Sum(s => s.Seconds));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>ffmpeg deletes segments as the window moves; a segment gone between reading the playlist and copying it means reading again.</summary>
    /// <remarks>A masked rendition's playlist can appear a moment after the original's; missing, it is the caller's retry (409), not a fault.</remarks>
    private static IReadOnlyList<HlsPlaylist.Segment> CopyNewestSegments(string cameraId, string folder, string playlist, int maxSeconds, string scratch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var segments = HlsPlaylist.Parse(File.ReadAllText(Path.Combine(folder, playlist))).NewestSeconds(maxSeconds);
                if (segments.Count == 0) throw new MediaUnavailableException(cameraId, "The live window lists no segments yet.");
                foreach (var segment in segments) File.Copy(Path.Combine(folder, segment.Name), Path.Combine(scratch, segment.Name), overwrite: true);
                return segments;
            }
            catch (FileNotFoundException) when (attempt < 3)
            {
            }
            catch (FileNotFoundException)
            {
                throw new MediaUnavailableException(cameraId, $"Camera '{cameraId}' has no stable live window to cut a clip from yet; try again in a moment.");
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] stops;
        bool first;
        lock (_gate)
        {
            first = !_shutDown;
            _shutDown = true;
            foreach (var relay in _relays.Values.ToList()) BeginStop(relay);
            stops = [.. _stopping.Values];
        }
        await _stopped.CancelAsync();
        await Task.WhenAll(stops).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // Whatever did not stop in time is killed now: the launcher's thread ends, and with it every process it started.
        _launcher.Dispose();
        // A recheck's snapshot ends with its ffmpeg: its slot comes back once its files are deleted, before the folder may be.
        if (first)
            for (var slot = 0; slot < _options.OfflineRecheckConcurrency; slot++)
                await _recheckSlots.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        try
        {
            Directory.Delete(_socketFolder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Stopped twice (StopAsync, then DisposeAsync).
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task<byte[]> DecodeKeyframeAsync(string cameraId, LiveChunk init, LiveChunk keyframe, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(_options.WorkingDirectory, CameraFiles.ScratchFolder);
        Directory.CreateDirectory(scratch);
        var name = $"{cameraId}-{Guid.NewGuid():N}";
        var (fragments, output) = (Path.Combine(scratch, $"{name}.mp4"), Path.Combine(scratch, $"{name}.jpg"));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.InputTimeout);
        try
        {
            await using (var file = File.Create(fragments))
            {
                await file.WriteAsync(init.Bytes, cancellationToken);
                await file.WriteAsync(keyframe.Bytes, cancellationToken);
            }
            return await RunToJpegAsync(cameraId, _commands.FrameOf(cameraId, fragments, output), output, "Decoding the cached keyframe",
                $"The newest picture of camera '{cameraId}' could not be decoded.", deadline.Token, cancellationToken);
        }
        finally
        {
            CameraFiles.TryDelete(fragments);
            CameraFiles.TryDelete(output);
        }
    }

    /// <summary>Runs a one-shot ffmpeg that writes <paramref name="output"/> and returns that JPEG, or logs its errors and throws <see cref="MediaUnavailableException"/>.</summary>
    private async Task<byte[]> RunToJpegAsync(string cameraId, FfmpegCommand command, string output, string action, string failure,
        CancellationToken deadline, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var exitCode = await FfmpegRun.RunAsync(_launcher, _options.FfmpegPath, command, errors.Add, grace: TimeSpan.Zero, deadline);
        cancellationToken.ThrowIfCancellationRequested();
        if (exitCode == 0 && File.Exists(output)) return await File.ReadAllBytesAsync(output, cancellationToken);
        logger.LogWarning("{Action} of camera {CameraId} failed (exit {ExitCode}): {Errors}", action, cameraId, exitCode, string.Join(" | ", errors));
        throw new MediaUnavailableException(cameraId, failure);
    }

    private async Task<byte[]> GrabOneFrameAsync(string cameraId, string streamUrl, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(_options.WorkingDirectory, CameraFiles.ScratchFolder);
        Directory.CreateDirectory(scratch);
        var output = Path.Combine(scratch, $"{cameraId}-{Guid.NewGuid():N}.jpg");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // One input timeout to connect and read the SDP, one more for a keyframe to arrive.
        deadline.CancelAfter(_options.InputTimeout * 2);
        try
        {
            var (source, uplink) = await uplinks.OpenAsync(cameraId, streamUrl, deadline.Token);
            await using (uplink)
            {
                var exitCode = await FfmpegRun.RunAsync(_launcher, _options.FfmpegPath, _commands.Snapshot(cameraId, source, output), onError: null,
                    grace: TimeSpan.Zero, deadline.Token);
                cancellationToken.ThrowIfCancellationRequested();
                if (exitCode == 0 && File.Exists(output)) return await File.ReadAllBytesAsync(output, cancellationToken);
                throw uplink?.LastCut is { } cut
                    ? CutOff(cameraId, cut)
                    : new MediaUnavailableException(cameraId, $"Camera '{cameraId}' gave no picture within {(_options.InputTimeout * 2).TotalSeconds:F0} s.");
            }
        }
        catch (UplinkRefusedException refused)
        {
            throw CutOff(cameraId, refused.Cut);
        }
        finally
        {
            CameraFiles.TryDelete(output);
        }
    }

    /// <summary>A relay whose linger ended went idle: forget it, unless a consumer came back in the meantime.</summary>
    private void ForgetIdle(Relay relay)
    {
        lock (_gate)
            if (_relays.GetValueOrDefault(relay.CameraId) == relay && relay.Status.State == StreamState.Idle) BeginStop(relay);
    }

    /// <summary>Under the gate: takes the relay out of service and records its stop, which runs off the caller's thread.</summary>
    private Task BeginStop(Relay relay)
    {
        _relays.Remove(relay.CameraId);
        foreach (var path in _playlists.Keys.Where(p => Path.GetDirectoryName(p) == relay.Folder)) _playlists.TryRemove(path, out _);
        var stopped = Task.Run(relay.StopAsync);
        _stopping[relay.CameraId] = stopped;
        _ = stopped.ContinueWith(_ =>
        {
            lock (_gate)
                if (_stopping.GetValueOrDefault(relay.CameraId) == stopped) _stopping.Remove(relay.CameraId);
        }, TaskScheduler.Default);
        logger.LogInformation("Relay of camera {CameraId} stopping", relay.CameraId);
        return stopped;
    }

    /// <summary>
    /// Not awaited by the relay: the camera grain told of the status may be the very caller waiting for this relay to stop
    /// (a lease ending, a deactivation), and awaiting its answer would hold both until the call timed out.
    /// </summary>
    private void ReportStatus(string cameraId, bool online, string? cause) => _ = ReportStatusAsync(cameraId, online, cause);

    private async Task ReportEncodeYieldedAsync(string cameraId, string[] leaseIds, string forCameraId)
    {
        try
        {
            await statusSink.OnEncodeYieldedAsync(cameraId, leaseIds, forCameraId);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Telling camera {CameraId} that its encode gave way to camera {ForCameraId}'s failed; its viewers' next requests are refused for load " +
                "until their leases end", cameraId, forCameraId);
        }
    }

    private async Task ReportStatusAsync(string cameraId, bool online, string? cause)
    {
        lock (_gate)
        {
            if (_reportedOnline.TryGetValue(cameraId, out var reported) && reported == online) return;
            _reportedOnline[cameraId] = online;
        }
        logger.LogInformation("Camera {CameraId} is {Status} ({Cause})", cameraId, online ? "online" : "offline", cause ?? "segments flowing");
        try
        {
            await statusSink.OnCameraStatusAsync(cameraId, online, cause);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Reporting camera {CameraId} {Status} failed", cameraId, online ? "online" : "offline");
        }
    }
}
