using SafetyNet.Bench.Video;
using Microsoft.Playwright;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    /// <summary>
    /// A 112 operator opens a camera whose video Chromium cannot play: H.265, as many newer CCTV cameras send, or Motion JPEG
    /// over HTTP, as many older ones serve. The node's relay encodes it as H.264: the panel plays the camera's own picture
    /// (its clock pattern reads the time it was drawn) on the low-latency path, as it does for any other camera, and goes on
    /// past a renewal of the lease.
    /// </summary>
    [Theory]
    [InlineData("hevc", false)]
    [InlineData("old", true)]
    public async Task A_camera_that_sends_video_browsers_cannot_play_plays_in_the_camera_panel_with_its_own_picture_past_a_lease_renewal(string path,
        bool mjpegOverHttp)
    {
        var cameraId = await ImportCameraAsync(path, 37.5594, 126.9909, "crime-prevention", path, mjpegOverHttp);
        var page = await SignedInPageAsync(operatorId: $"{path}-operator", ready: AccessReady);
        try
        {
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'allowed'", cameraId);
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", cameraId);
            await WaitForPlayingAsync(page, "#camera .live video");

            Assert.Equal("live", await page.GetAttributeAsync("#camera .live", "data-path"));
            await LatencyProbe.StartAsync(page, DashboardFixture.RepositoryRoot(), "#camera .live video");
            await page.WaitForFunctionAsync("() => window.__latencySamples.length >= 10", null, new PageWaitForFunctionOptions { Timeout = Timeout });
            var readings = await LatencyProbe.ReadAsync(page);
            output.WriteLine($"{(mjpegOverHttp ? "Motion JPEG over HTTP" : "H.265")} camera through the encoding relay: {readings.Samples.Count} frames read, delay p50 {readings.DelayPercentile(0.5):F0} ms " +
                             $"({readings.Unreadable} unreadable)");
            Assert.All(readings.Samples, sample => Assert.InRange(sample.DelayMs, 0, 15_000));
            Assert.True(readings.Unreadable <= readings.Samples.Count / 10, $"{readings.Unreadable} unreadable frames beside {readings.Samples.Count} read");
            // As an operator keeps it open: past a renewal of its lease the panel still plays the encoded picture.
            var renewals = Convert.ToInt32(await page.EvaluateAsync<string?>("() => document.querySelector('#camera .live').dataset.renewals ?? '0'"));
            var playedTo = await page.EvalOnSelectorAsync<double>("#camera .live video", "v => v.currentTime");
            await page.WaitForFunctionAsync(@"([renewals, playedTo]) => {
                const tile = document.querySelector('#camera .live');
                if (tile.classList.contains('stopped')) return 'stopped: ' + tile.dataset.stopReason;
                return Number(tile.dataset.renewals ?? 0) > renewals && tile.querySelector('video').currentTime > playedTo + 5;
            }", new object[] { renewals, playedTo }, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 200 });
            Assert.False(await page.EvalOnSelectorAsync<bool>("#camera .live", "t => t.classList.contains('stopped')"));
            Assert.Equal("live", await page.GetAttributeAsync("#camera .live", "data-path"));
            await ScreenshotAsync(page, $"14b-camera-panel-{path}-camera");
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
