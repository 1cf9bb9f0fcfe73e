using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Media;

/// <summary>
/// An encode (a privacy mask, an H.265 camera) costs up to a core at 1080p, a copy under 1 % of one: a node whose CPUs are
/// already busy starts no new encode, so the streams it runs and its access decisions keep their CPU. Copies still start,
/// and a mask given to a running stream is applied whatever the load. Real ffmpeg and a real RTSP camera; the load is set.
/// </summary>
[Collection(MediaCollection.Name)]
[Trait("Category", "Slow")]
public sealed class RelayEncodeAdmissionTests
{
    private static readonly RelayMask Mask = RelayMask.For([new MaskPolygon([new MaskPoint(0.1, 0.1), new MaskPoint(0.4, 0.1), new MaskPoint(0.4, 0.4)])], "#000000")!;

    [Fact]
    public async Task A_busy_node_refuses_new_encodes_but_starts_copies_and_applies_a_mask_to_a_running_stream()
    {
        await using var camera = await RtspTestCamera.StartAsync(["avc", "masked", "hevc"], h265Paths: ["hevc"]);
        var load = new SettableCpuLoad { RecentShare = 0.97 };
        await using var media = await RelayHostHarness.StartAsync(o => o.NewEncodeCpuLimit = 0.85, cpuLoad: load);

        var refused = Assert.Throws<DomainException>(() => media.Host.Acquire("cam-masked", camera.Url("masked"), Mask, StreamConsumer.Viewer("v1")));
        Assert.Equal(DomainErrorKind.Unavailable, refused.Kind);
        Assert.Contains("Media:NewEncodeCpuLimit", refused.Message);
        Assert.Contains("97", refused.Message);
        Assert.Equal(StreamState.Idle, media.Host.StatusOf("cam-masked").State);
        Assert.Empty(media.RelayProcesses("cam-masked"));
        Assert.Equal(1, media.Host.EncodesRefused);

        // A copy costs next to nothing: it starts whatever the load.
        await media.StartAndWaitAsync("cam-avc", camera.Url("avc"));

        // A district admin masks the camera being watched: the mask applies at once, load or not.
        media.Host.Reconfigure("cam-avc", camera.Url("avc"), Mask);
        await Eventually.WaitAsync(() => Task.FromResult(media.Host.ResolveFile("cam-avc", CameraFiles.Playlist, MediaRendition.Masked)),
            path => path is not null, TimeSpan.FromSeconds(20), "the running stream's masked rendition");

        // Once the load falls, the masked camera starts.
        load.RecentShare = 0.40;
        media.Host.Acquire("cam-masked", camera.Url("masked"), Mask, StreamConsumer.Viewer("v1"));
        Assert.True(await media.Host.WaitForPlaylistAsync("cam-masked", RelayHostHarness.PlaylistTimeout, CancellationToken.None));
        Assert.Equal(1, media.Host.EncodesRefused);

        // Busy again: a viewer already watching asks again (each media request, past every renewal) and a second one joins;
        // neither starts an encode, so neither is refused.
        load.RecentShare = 0.97;
        media.Host.Acquire("cam-masked", camera.Url("masked"), Mask, StreamConsumer.Viewer("v1"));
        Assert.Equal(2, media.Host.Acquire("cam-masked", camera.Url("masked"), Mask, StreamConsumer.Viewer("v2")).Consumers);
        Assert.Equal(1, media.Host.EncodesRefused);
    }

    [Fact]
    public async Task A_camera_found_to_need_an_encode_while_the_node_is_busy_stops_until_the_load_falls()
    {
        await using var camera = await RtspTestCamera.StartAsync(["hevc"], h265Paths: ["hevc"]);
        var load = new SettableCpuLoad { RecentShare = 0.97 };
        await using var media = await RelayHostHarness.StartAsync(o => o.NewEncodeCpuLimit = 0.85, cpuLoad: load);

        // Not known to need an encode yet: it starts as a copy, finds H.265, and stops rather than encode on a busy node.
        media.Host.Acquire("cam-hevc", camera.Url("hevc"), mask: null, StreamConsumer.Viewer("v1"));
        await Eventually.WaitAsync(() => Task.FromResult(media.Host.EncodesRefused), refusals => refusals == 1, TimeSpan.FromSeconds(30),
            "the relay to find the camera's H.265 and refuse to encode it");
        await Eventually.WaitAsync(() => Task.FromResult(media.Host.StatusOf("cam-hevc").State), state => state == StreamState.Idle, TimeSpan.FromSeconds(10),
            "the copying relay to stop");
        Assert.Equal(0, media.Host.EncodingStreams);

        // Its viewer's next request finds it known to need an encode: refused while busy, started once the load falls.
        Assert.Equal(DomainErrorKind.Unavailable,
            Assert.Throws<DomainException>(() => media.Host.Acquire("cam-hevc", camera.Url("hevc"), mask: null, StreamConsumer.Viewer("v1"))).Kind);
        load.RecentShare = 0.20;
        media.Host.Acquire("cam-hevc", camera.Url("hevc"), mask: null, StreamConsumer.Viewer("v1"));
        Assert.True(await media.Host.WaitForPlaylistAsync("cam-hevc", RelayHostHarness.PlaylistTimeout, CancellationToken.None));
        Assert.Equal(1, media.Host.EncodingStreams);
    }

    [Fact]
    public async Task Just_under_the_limit_a_node_counts_what_one_more_encode_costs()
    {
        await using var camera = await RtspTestCamera.StartAsync(["masked"]);
        var load = new SettableCpuLoad { RecentShare = 0.849 };
        await using var media = await RelayHostHarness.StartAsync(o => o.NewEncodeCpuLimit = 0.85, cpuLoad: load);

        // No encode runs yet, so nothing says what one costs: the load alone is under the limit.
        Assert.Null(media.Host.OneMoreEncodeShare);
        await media.StartAndWaitAsync("cam-generated", RelayHostHarness.Lavfi);
        var oneMore = await Eventually.WaitAsync(() => Task.FromResult(media.Host.OneMoreEncodeShare), share => share > 0, TimeSpan.FromSeconds(20),
            "what the running encode costs");

        var refused = Assert.Throws<DomainException>(() => media.Host.Acquire("cam-masked", camera.Url("masked"), Mask, StreamConsumer.Viewer("v1")));
        Assert.Contains("with one more encode", refused.Message);
        Assert.Empty(media.RelayProcesses("cam-masked"));

        load.RecentShare = 0.85 - oneMore!.Value * 2;
        media.Host.Acquire("cam-masked", camera.Url("masked"), Mask, StreamConsumer.Viewer("v1"));
        Assert.True(await media.Host.WaitForPlaylistAsync("cam-masked", RelayHostHarness.PlaylistTimeout, CancellationToken.None));
    }

    [Fact]
    public async Task On_a_busy_node_an_incident_viewers_encode_takes_the_place_of_one_watched_only_by_standing_viewers_of_lower_priority()
    {
        await using var camera = await RtspTestCamera.StartAsync(["standing", "incident", "other"]);
        var load = new SettableCpuLoad { RecentShare = 0.40 };
        await using var media = await RelayHostHarness.StartAsync(o => o.NewEncodeCpuLimit = 0.85, cpuLoad: load);
        media.Host.Acquire("cam-standing", camera.Url("standing"), Mask, StreamConsumer.Viewer("standing-112"));
        Assert.True(await media.Host.WaitForPlaylistAsync("cam-standing", RelayHostHarness.PlaylistTimeout, CancellationToken.None));
        load.RecentShare = 0.97;

        // Another standing-access viewer does not take it: it is no more urgent.
        Assert.Equal(DomainErrorKind.Unavailable,
            Assert.Throws<DomainException>(() => media.Host.Acquire("cam-other", camera.Url("other"), Mask, StreamConsumer.Viewer("standing-disaster"))).Kind);

        // A fire incident's viewer (priority 1, under its grant) does: the standing encode stops, and its viewer's lease is to end.
        media.Host.Acquire("cam-incident", camera.Url("incident"), Mask, StreamConsumer.Viewer("fire-119", 1, standing: false));
        Assert.True(await media.Host.WaitForPlaylistAsync("cam-incident", RelayHostHarness.PlaylistTimeout, CancellationToken.None));
        Assert.Equal(StreamState.Idle, media.Host.StatusOf("cam-standing").State);
        await Eventually.WaitAsync(() => Task.FromResult(media.RelayProcesses("cam-standing")), pids => pids.Count == 0, TimeSpan.FromSeconds(10),
            "the yielding relay's ffmpeg to end");
        var (yielded, leases, forCamera) = Assert.Single(await Eventually.WaitAsync(() => Task.FromResult(media.Events.Yields), y => y.Count > 0,
            TimeSpan.FromSeconds(10), "the yielding camera to be told"));
        Assert.Equal(("cam-standing", "standing-112", "cam-incident"), (yielded, Assert.Single(leases), forCamera));
        Assert.Equal(1, media.Host.EncodesYielded);

        // An incident's viewer never yields, not even to a more urgent incident.
        Assert.Throws<DomainException>(() => media.Host.Acquire("cam-other", camera.Url("other"), Mask, StreamConsumer.Viewer("rescue-119", 0, standing: false)));
        Assert.Equal(StreamState.Ready, media.Host.StatusOf("cam-incident").State);
        Assert.Equal(2, media.Host.EncodesRefused);
    }

    [Fact]
    public async Task On_a_busy_node_an_encode_nobody_watches_any_more_gives_way_to_any_viewer_and_a_copy_never_does()
    {
        await using var camera = await RtspTestCamera.StartAsync(["left", "copied", "wanted"]);
        var load = new SettableCpuLoad { RecentShare = 0.40 };
        await using var media = await RelayHostHarness.StartAsync(o =>
        {
            o.NewEncodeCpuLimit = 0.85;
            o.LingerPeriod = TimeSpan.FromMinutes(5);
        }, cpuLoad: load);
        media.Host.Acquire("cam-left", camera.Url("left"), Mask, StreamConsumer.Viewer("gone"));
        Assert.True(await media.Host.WaitForPlaylistAsync("cam-left", RelayHostHarness.PlaylistTimeout, CancellationToken.None));
        await media.StartAndWaitAsync("cam-copied", camera.Url("copied"));
        media.Host.Release("cam-left", "gone");
        Assert.Equal(StreamState.Lingering, media.Host.StatusOf("cam-left").State);
        load.RecentShare = 0.97;

        // A standing-access viewer takes the lingering encode's place; the copy, which frees no CPU worth having, runs on.
        media.Host.Acquire("cam-wanted", camera.Url("wanted"), Mask, StreamConsumer.Viewer("standing-112"));
        Assert.True(await media.Host.WaitForPlaylistAsync("cam-wanted", RelayHostHarness.PlaylistTimeout, CancellationToken.None));
        Assert.Equal(StreamState.Idle, media.Host.StatusOf("cam-left").State);
        Assert.Equal(StreamState.Ready, media.Host.StatusOf("cam-copied").State);
        Assert.Equal((1, 0L), (media.Host.EncodesYielded, media.Host.EncodesRefused));
        Assert.Empty(media.Events.Yields);
    }

    [Fact]
    public async Task On_a_busy_node_an_encode_only_an_incidents_prewarm_holds_gives_way_to_an_incident_viewer_but_not_to_a_standing_one()
    {
        await using var camera = await RtspTestCamera.StartAsync(["warm", "routine", "urgent"]);
        var load = new SettableCpuLoad { RecentShare = 0.40 };
        await using var media = await RelayHostHarness.StartAsync(o => o.NewEncodeCpuLimit = 0.85, cpuLoad: load);
        media.Host.Acquire("cam-warm", camera.Url("warm"), Mask, StreamConsumer.Prewarm("incident-1", DateTimeOffset.UtcNow.AddHours(1)));
        Assert.True(await media.Host.WaitForPlaylistAsync("cam-warm", RelayHostHarness.PlaylistTimeout, CancellationToken.None));
        load.RecentShare = 0.97;

        // A pre-warm is a guess that someone will watch: it keeps its CPU against routine viewing…
        Assert.Throws<DomainException>(() => media.Host.Acquire("cam-routine", camera.Url("routine"), Mask, StreamConsumer.Viewer("standing-112")));
        Assert.Equal(StreamState.Ready, media.Host.StatusOf("cam-warm").State);

        // …and gives it to a viewer under an incident's grant. Nobody watched it, so no lease ends.
        media.Host.Acquire("cam-urgent", camera.Url("urgent"), Mask, StreamConsumer.Viewer("police-112", 2, standing: false));
        Assert.True(await media.Host.WaitForPlaylistAsync("cam-urgent", RelayHostHarness.PlaylistTimeout, CancellationToken.None));
        Assert.Equal(StreamState.Idle, media.Host.StatusOf("cam-warm").State);
        Assert.Equal((1, 1L), (media.Host.EncodesYielded, media.Host.EncodesRefused));
        Assert.Empty(media.Events.Yields);
    }

    [Fact]
    public async Task With_the_limit_at_one_a_fully_busy_node_still_encodes()
    {
        var load = new SettableCpuLoad { RecentShare = 1.0 };
        await using var media = await RelayHostHarness.StartAsync(o => o.NewEncodeCpuLimit = 1, cpuLoad: load);
        await media.StartAndWaitAsync("cam-generated", RelayHostHarness.Lavfi);
        // Also once what one more encode costs is known: the check is off, not a limit of 100 %.
        await Eventually.WaitAsync(() => Task.FromResult(media.Host.OneMoreEncodeShare), share => share > 0, TimeSpan.FromSeconds(20), "what the running encode costs");
        await media.StartAndWaitAsync("cam-generated-2", RelayHostHarness.Lavfi);
        Assert.Equal(0, media.Host.EncodesRefused);
    }
}
