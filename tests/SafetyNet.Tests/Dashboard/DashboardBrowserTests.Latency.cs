using SafetyNet.Bench.Video;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task The_latency_probe_reads_increasing_plausible_camera_times_from_the_panels_live_video()
    {
        const string video = "#camera .live video";
        var cameraId = await ImportCameraAsync("latency", 37.5585, 126.9915, "crime-prevention", "latency");
        var page = await SignedInPageAsync(ready: AccessReady);
        try
        {
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'allowed'", cameraId);
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", cameraId);
            await WaitForPlayingAsync(page, video);

            await LatencyProbe.StartAsync(page, DashboardFixture.RepositoryRoot(), video);
            await page.WaitForFunctionAsync("() => window.__latencySamples.length >= 45");
            var readings = await LatencyProbe.ReadAsync(page);

            var path = await page.GetAttributeAsync("#camera .live", "data-path");
            output.WriteLine($"Glass-to-glass on the {path} path over {readings.Samples.Count} frames: p50 {readings.DelayPercentile(0.5):F0} ms, " +
                             $"p95 {readings.DelayPercentile(0.95):F0} ms ({readings.Unreadable} frames unreadable)");
            // Each frame a later camera time than the one before, drawn before it was shown and not absurdly long before.
            Assert.All(readings.Samples.Zip(readings.Samples.Skip(1)), pair => Assert.True(pair.Second.PatternMs > pair.First.PatternMs, $"{pair.Second.PatternMs} after {pair.First.PatternMs}"));
            Assert.All(readings.Samples, sample => Assert.InRange(sample.DelayMs, 0, 15_000));
            Assert.True(readings.Unreadable <= readings.Samples.Count / 10, $"{readings.Unreadable} unreadable frames beside {readings.Samples.Count} read");
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
