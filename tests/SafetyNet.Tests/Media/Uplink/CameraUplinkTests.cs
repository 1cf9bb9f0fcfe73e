using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Media.Uplink;

/// <summary>
/// The node reaches a camera only at the address its stream policy checked: ffmpeg's connection is the node's uplink, so a
/// camera's redirect or a name that resolves somewhere forbidden takes ffmpeg nowhere else. Real ffmpeg, real sockets.
/// </summary>
[Collection(MediaCollection.Name)]
[Trait("Category", "Slow")]
public sealed class CameraUplinkTests(TestCameraFixture cameras)
{
    private static readonly TimeSpan OfflineTimeout = TimeSpan.FromSeconds(20);

    /// <summary>A camera that answers every request with a redirect to <paramref name="target"/>.</summary>
    private static RecordingListener RedirectingCamera(string target) =>
        new(request => $"RTSP/1.0 302 Moved Temporarily\r\nCSeq: {RecordingListener.CSeqOf(request)}\r\nLocation: {target}\r\n\r\n");

    private static long Cuts(RelayHostHarness media, string kind) => media.Uplinks.Cuts.Single(c => c.Kind == kind).Count;

    private static Task WaitOfflineAsync(RelayHostHarness media, string cameraId) =>
        Eventually.WaitAsync(() => Task.FromResult(media.Events.For(cameraId)), events => events.Contains((cameraId, false)), OfflineTimeout,
            $"camera {cameraId} reported offline");

    [Fact]
    public async Task A_camera_that_redirects_the_relay_elsewhere_is_cut_off_and_the_other_address_never_reached()
    {
        await using var forbidden = new RecordingListener();
        await using var camera = RedirectingCamera($"rtsp://127.0.0.1:{forbidden.Port}/internal");
        await using var media = await RelayHostHarness.StartAsync(options => options.FailuresBeforeOffline = 2);

        media.Host.Acquire("cam-redirect", $"rtsp://127.0.0.1:{camera.Port}/live", mask: null, StreamConsumer.Viewer("viewer"));
        await WaitOfflineAsync(media, "cam-redirect");

        Assert.True(camera.Connections >= 2, $"the camera was reached {camera.Connections} time(s)");
        Assert.Equal(0, forbidden.Connections);
        Assert.False(await media.Host.WaitForPlaylistAsync("cam-redirect", TimeSpan.Zero, CancellationToken.None));
        // What an on-call engineer's alert reads (safetynet_media_uplink_cuts_total{kind="redirect"}).
        Assert.True(Cuts(media, "redirect") >= 2, $"{Cuts(media, "redirect")} redirect cut(s) counted");
        Assert.Equal("camera-redirected", media.Events.OfflineCauses("cam-redirect")[0]);
    }

    [Fact]
    public async Task A_snapshot_of_a_camera_that_redirects_says_so_and_reaches_nothing_else()
    {
        await using var forbidden = new RecordingListener();
        await using var camera = RedirectingCamera($"rtsp://admin:secret@127.0.0.1:{forbidden.Port}/internal");
        await using var media = await RelayHostHarness.StartAsync();

        var refused = await Assert.ThrowsAsync<MediaUnavailableException>(() =>
            media.Host.SnapshotAsync("cam-redirect-shot", $"rtsp://127.0.0.1:{camera.Port}/live", CancellationToken.None));

        Assert.Contains("redirect", refused.Message);
        Assert.Equal("camera-redirected", refused.Cause);
        Assert.DoesNotContain("secret", refused.Message);
        Assert.Equal(0, forbidden.Connections);
    }

    [Fact]
    public async Task An_offline_camera_is_first_tried_with_a_bare_connection_and_only_one_that_takes_it_is_asked_for_a_picture()
    {
        await using var listening = new RecordingListener();
        await using var media = await RelayHostHarness.StartAsync();
        var nobody = $"rtsp://127.0.0.1:{FreePorts.Next()}/live";

        Assert.Null(await media.Uplinks.UnreachableAsync($"rtsp://127.0.0.1:{listening.Port}/live", CancellationToken.None));
        Assert.Equal("unreachable", (await media.Uplinks.UnreachableAsync(nobody, CancellationToken.None))?.Kind);
        Assert.Equal("policy", (await media.Uplinks.UnreachableAsync("rtsp://169.254.169.254/live", CancellationToken.None))?.Kind);
        Assert.Null(await media.Uplinks.UnreachableAsync("lavfi:testsrc2", CancellationToken.None));

        // A recheck of a camera that takes no connection ends there: no ffmpeg is started for it.
        var refused = await Assert.ThrowsAsync<MediaUnavailableException>(() => media.Host.RecheckSnapshotAsync("cam-dark", nobody, CancellationToken.None));
        Assert.Equal("camera-unreachable", refused.Cause);
        // One that answers is asked for a picture as a snapshot would be.
        RelayHostHarness.AssertJpeg(await media.Host.RecheckSnapshotAsync("cam-back", cameras.Camera.Url("snapshot"), CancellationToken.None));
    }

    [Fact]
    public async Task A_camera_nothing_answers_at_is_reported_offline_as_unreachable_not_as_one_that_sent_no_picture()
    {
        await using var media = await RelayHostHarness.StartAsync(options => options.FailuresBeforeOffline = 2);
        var url = $"rtsp://127.0.0.1:{FreePorts.Next()}/live";

        var refused = await Assert.ThrowsAsync<MediaUnavailableException>(() => media.Host.SnapshotAsync("cam-nobody-shot", url, CancellationToken.None));
        Assert.Equal("camera-unreachable", refused.Cause);

        media.Host.Acquire("cam-nobody", url, mask: null, StreamConsumer.Viewer("viewer"));
        await WaitOfflineAsync(media, "cam-nobody");
        Assert.Equal("camera-unreachable", media.Events.OfflineCauses("cam-nobody")[0]);
    }

    [Fact]
    public async Task A_relay_never_connects_to_an_address_the_stream_policy_refuses_even_when_asked_directly()
    {
        await using var loopbackCamera = new RecordingListener();
        await using var media = await RelayHostHarness.StartAsync(options => options.FailuresBeforeOffline = 2, allowLoopback: false);

        // The camera grain checks the URL before it asks for a relay; the relay checks again, with the name resolved now.
        media.Host.Acquire("cam-loopback", $"rtsp://localhost:{loopbackCamera.Port}/live", mask: null, StreamConsumer.Viewer("viewer"));
        await WaitOfflineAsync(media, "cam-loopback");
        var refused = await Assert.ThrowsAsync<MediaUnavailableException>(() =>
            media.Host.SnapshotAsync("cam-loopback-shot", $"rtsp://localhost:{loopbackCamera.Port}/live", CancellationToken.None));

        Assert.Contains("loopback", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, loopbackCamera.Connections);
        Assert.True(Cuts(media, "policy") >= 3, $"{Cuts(media, "policy")} policy refusal(s) counted");
        Assert.Equal("stream-url-refused", media.Events.OfflineCauses("cam-loopback")[0]);
        Assert.Equal(0, Cuts(media, "redirect"));
    }

    [Fact]
    public async Task An_rtsps_camera_plays_with_the_node_speaking_tls_and_naming_the_cameras_host()
    {
        await using var front = new TlsCameraFront(cameras.Camera.Port);
        await using var media = await RelayHostHarness.StartAsync();

        var playlist = await media.StartAndWaitAsync("cam-rtsps", $"rtsps://localhost:{front.Port}/play");

        Assert.Equal("h264", await media.ProbeCodecsAsync(playlist));
        Assert.Contains("localhost", front.ServerNames);
    }

    [Fact]
    public async Task A_camera_is_held_to_the_certificate_it_first_presented_until_its_pin_is_forgotten()
    {
        await using var front = new TlsCameraFront(cameras.Camera.Port);
        await using var media = await RelayHostHarness.StartAsync();
        var url = $"rtsps://localhost:{front.Port}/snapshot";
        var first = front.Fingerprint;

        RelayHostHarness.AssertJpeg(await media.Host.SnapshotAsync("cam-pinned", url, CancellationToken.None));
        Assert.Equal(first, media.Pins.PinOf("cam-pinned"));

        // Someone on the path answering for the camera presents a certificate of their own, for the same name.
        front.ReplaceCertificate();
        var refused = await Assert.ThrowsAsync<MediaUnavailableException>(() => media.Host.SnapshotAsync("cam-pinned", url, CancellationToken.None));
        Assert.Contains(front.Fingerprint, refused.Message);
        Assert.Contains(first, refused.Message);
        Assert.Equal("camera-certificate-changed", refused.Cause);
        Assert.Contains(("cam-pinned", front.Fingerprint), media.Pins.Refused);
        Assert.Equal(first, media.Pins.PinOf("cam-pinned"));
        Assert.True(Cuts(media, "certificate") >= 1);
        Assert.Equal(0, Cuts(media, "tls"));
        // Its relay, refused the same way at every start, reports it offline for that cause.
        media.Host.Acquire("cam-pinned", url, mask: null, StreamConsumer.Viewer("viewer"));
        await WaitOfflineAsync(media, "cam-pinned");
        Assert.Equal("camera-certificate-changed", media.Events.OfflineCauses("cam-pinned")[0]);
        await media.Host.StopAsync("cam-pinned");

        // The district checked the camera was re-keyed and forgot the pin: the next connection learns the new certificate.
        media.Pins.Forget("cam-pinned");
        RelayHostHarness.AssertJpeg(await media.Host.SnapshotAsync("cam-pinned", url, CancellationToken.None));
        Assert.Equal(front.Fingerprint, media.Pins.PinOf("cam-pinned"));
    }

    [Fact]
    public async Task A_camera_accepting_any_certificate_is_not_pinned()
    {
        await using var front = new TlsCameraFront(cameras.Camera.Port);
        await using var media = await RelayHostHarness.StartAsync(policy: p => p.CameraCertificates = StreamUrlOptions.AnyCertificate);

        RelayHostHarness.AssertJpeg(await media.Host.SnapshotAsync("cam-any", $"rtsps://localhost:{front.Port}/snapshot", CancellationToken.None));
        front.ReplaceCertificate();
        RelayHostHarness.AssertJpeg(await media.Host.SnapshotAsync("cam-any", $"rtsps://localhost:{front.Port}/snapshot", CancellationToken.None));

        Assert.Null(media.Pins.PinOf("cam-any"));
    }

    [Fact]
    public async Task With_the_machines_roots_a_camera_signing_its_own_certificate_is_cut_off()
    {
        await using var front = new TlsCameraFront(cameras.Camera.Port);
        await using var media = await RelayHostHarness.StartAsync(policy: p => p.CameraCertificates = StreamUrlOptions.SystemCertificates);

        var refused = await Assert.ThrowsAsync<MediaUnavailableException>(() =>
            media.Host.SnapshotAsync("cam-untrusted", $"rtsps://localhost:{front.Port}/snapshot", CancellationToken.None));

        Assert.Contains("TLS", refused.Message);
        Assert.Equal("camera-tls-failed", refused.Cause);
        Assert.True(Cuts(media, "tls") >= 1);
    }

    [Fact]
    public async Task With_a_districts_own_roots_its_camera_plays_and_a_certificate_for_another_name_is_cut_off()
    {
        await using var trusted = new TlsCameraFront(cameras.Camera.Port, "localhost", "127.0.0.1");
        await using var misnamed = new TlsCameraFront(cameras.Camera.Port, "camera.example");
        var roots = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(roots, trusted.RootPem + "\n" + misnamed.RootPem + "\n");
            await using var media = await RelayHostHarness.StartAsync(policy: p => p.CameraCertificates = roots);

            RelayHostHarness.AssertJpeg(await media.Host.SnapshotAsync("cam-trusted", $"rtsps://localhost:{trusted.Port}/snapshot", CancellationToken.None));
            RelayHostHarness.AssertJpeg(await media.Host.SnapshotAsync("cam-trusted-ip", $"rtsps://127.0.0.1:{trusted.Port}/snapshot", CancellationToken.None));
            await Assert.ThrowsAsync<MediaUnavailableException>(() =>
                media.Host.SnapshotAsync("cam-misnamed", $"rtsps://localhost:{misnamed.Port}/snapshot", CancellationToken.None));
            Assert.Equal(1, Cuts(media, "tls"));
        }
        finally
        {
            File.Delete(roots);
        }
    }

    [Fact]
    public async Task An_http_camera_is_asked_for_by_its_own_host_name_not_the_uplinks()
    {
        await using var camera = new RecordingListener();
        await using var media = await RelayHostHarness.StartAsync(options => options.InputTimeout = TimeSpan.FromSeconds(2));

        await Assert.ThrowsAsync<MediaUnavailableException>(() =>
            media.Host.SnapshotAsync("cam-http", $"http://user:pw@localhost:{camera.Port}/video.mjpg?channel=1", CancellationToken.None));

        var request = Assert.Single(camera.Requests);
        Assert.StartsWith("GET /video.mjpg?channel=1 HTTP/1.1\r\n", request);
        Assert.Contains($"\r\nHost: localhost:{camera.Port}\r\n", request);
        Assert.DoesNotContain("127.0.0.1", request);
    }
}
