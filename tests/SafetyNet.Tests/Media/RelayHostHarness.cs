using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Grains.Media.Uplink;

namespace SafetyNet.Tests.Media;

/// <summary>A started RelayHost over its own temporary working directory and node tag, with its status events recorded.</summary>
public sealed class RelayHostHarness : IAsyncDisposable
{
    public const string Lavfi = "lavfi:testsrc2=size=640x360:rate=15";
    public static readonly TimeSpan PlaylistTimeout = TimeSpan.FromSeconds(15);

    private RelayHostHarness(MediaOptions options, RecordingStatusSink events, ICpuLoad? cpuLoad, StreamUrlOptions policy)
    {
        Options = options;
        Events = events;
        Uplinks = new CameraUplinks(Microsoft.Extensions.Options.Options.Create(policy), Microsoft.Extensions.Options.Options.Create(options),
            Pins, NullLogger<CameraUplinks>.Instance);
        Host = new RelayHost(Microsoft.Extensions.Options.Options.Create(options), events, Uplinks, NullLogger<RelayHost>.Instance, cpuLoad: cpuLoad);
    }

    public MediaOptions Options { get; }

    /// <summary>The host's camera connections, with their cuts counted as the node's metrics read them.</summary>
    public CameraUplinks Uplinks { get; }
    public RecordingStatusSink Events { get; }

    /// <summary>The certificates the host's uplinks pinned on first use (a silo keeps them in each camera's pin grain).</summary>
    public HeldCertificatePins Pins { get; } = new();
    public RelayHost Host { get; }

    /// <param name="allowLoopback">Whether the stream policy lets a relay reach loopback, where the test cameras run.</param>
    /// <param name="policy">More of the stream policy, which allows every network scheme.</param>
    public static async Task<RelayHostHarness> StartAsync(Action<MediaOptions>? configure = null, string? nodeTag = null, ICpuLoad? cpuLoad = null,
        bool allowLoopback = true, Action<StreamUrlOptions>? policy = null)
    {
        var options = new MediaOptions
        {
            WorkingDirectory = Directory.CreateTempSubdirectory("safetynet-media-").FullName,
            InputTimeout = TimeSpan.FromSeconds(2),
            RestartBackoffInitial = TimeSpan.FromMilliseconds(200),
            RestartBackoffMax = TimeSpan.FromSeconds(1),
            NodeTag = nodeTag ?? $"test-{Guid.NewGuid():N}"[..16],
        };
        configure?.Invoke(options);
        var urls = new StreamUrlOptions { AllowLoopback = allowLoopback, Schemes = "rtsp,rtsps,http,https" };
        policy?.Invoke(urls);
        var harness = new RelayHostHarness(options, new RecordingStatusSink(), cpuLoad, urls);
        await harness.Host.StartAsync(CancellationToken.None);
        return harness;
    }

    public IReadOnlyList<int> RelayProcesses(string cameraId) => TaggedProcesses.Find(TaggedProcesses.RelayTag(Options.NodeTag, cameraId));

    public async Task<string> StartAndWaitAsync(string cameraId, string streamUrl)
    {
        Host.Acquire(cameraId, streamUrl, mask: null, StreamConsumer.Viewer("test-viewer"));
        Assert.True(await Host.WaitForPlaylistAsync(cameraId, PlaylistTimeout, CancellationToken.None), $"no playlist for {cameraId} within {PlaylistTimeout}");
        return Host.ResolveFile(cameraId, CameraFiles.Playlist, MediaRendition.Original) ?? throw new FileNotFoundException("playlist ready but not served");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(Options.WorkingDirectory, recursive: true);
    }

    /// <summary>The distinct codec names ffprobe reads from a media file or playlist.</summary>
    public async Task<string> ProbeCodecsAsync(string file)
    {
        var start = new ProcessStartInfo(Options.FfprobePath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", file])
            start.ArgumentList.Add(argument);
        using var probe = Process.Start(start)!;
        var output = await probe.StandardOutput.ReadToEndAsync();
        await probe.WaitForExitAsync();
        Assert.True(probe.ExitCode == 0, $"ffprobe failed on {file}: {await probe.StandardError.ReadToEndAsync()}");
        return string.Join(",", output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());
    }

    public static void AssertJpeg(byte[] image)
    {
        Assert.True(image.Length > 1000, $"a {image.Length}-byte JPEG is too small to hold a picture");
        Assert.Equal([0xFF, 0xD8], image[..2]);
        Assert.Equal([0xFF, 0xD9], image[^2..]);
    }
}

public sealed class RecordingStatusSink : IRelayStatusSink
{
    private readonly ConcurrentQueue<(string CameraId, bool Online)> _events = new();
    private readonly ConcurrentQueue<(string CameraId, string? Cause)> _offlineCauses = new();
    private readonly ConcurrentQueue<(string CameraId, string[] LeaseIds, string ForCameraId)> _yields = new();

    /// <summary>Encodes that gave way on a busy node: the camera, its viewers' leases to end, and the camera it gave way to.</summary>
    public IReadOnlyList<(string CameraId, string[] LeaseIds, string ForCameraId)> Yields => [.. _yields];

    public Task OnEncodeYieldedAsync(string cameraId, IReadOnlyList<string> leaseIds, string forCameraId)
    {
        _yields.Enqueue((cameraId, [.. leaseIds], forCameraId));
        return Task.CompletedTask;
    }

    public IReadOnlyList<(string CameraId, bool Online)> For(string cameraId) => [.. _events.Where(e => e.CameraId == cameraId)];

    /// <summary>Why the camera was reported offline, each time it was.</summary>
    public IReadOnlyList<string?> OfflineCauses(string cameraId) => [.. _offlineCauses.Where(e => e.CameraId == cameraId).Select(e => e.Cause)];

    public Task OnCameraStatusAsync(string cameraId, bool online, string? cause)
    {
        if (!online) _offlineCauses.Enqueue((cameraId, cause));
        _events.Enqueue((cameraId, online));
        return Task.CompletedTask;
    }
}

/// <summary>Pins held in memory, as one node's pin grains would hold them, with every refused certificate recorded.</summary>
public sealed class HeldCertificatePins : ICameraCertificatePins
{
    private readonly ConcurrentDictionary<string, (string Authority, string Sha256)> _pins = new();
    private readonly ConcurrentQueue<(string CameraId, string Sha256)> _refused = new();

    public IReadOnlyList<(string CameraId, string Sha256)> Refused => [.. _refused];

    public string? PinOf(string cameraId) => _pins.TryGetValue(cameraId, out var pin) ? pin.Sha256 : null;

    public void Forget(string cameraId) => _pins.TryRemove(cameraId, out _);

    public Task<string?> PinnedAsync(string cameraId, string authority) =>
        Task.FromResult(_pins.TryGetValue(cameraId, out var pin) && pin.Authority == authority ? pin.Sha256 : null);

    public Task<string> PinAsync(string cameraId, string authority, string sha256) =>
        Task.FromResult(_pins.AddOrUpdate(cameraId, (authority, sha256), (_, held) => held.Authority == authority ? held : (authority, sha256)).Sha256);

    public Task RefusedAsync(string cameraId, string authority, string sha256)
    {
        _refused.Enqueue((cameraId, sha256));
        return Task.CompletedTask;
    }
}
