using SafetyNet.Bench.Video;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    /// <summary>
    /// Issue 13's rewind acceptance: after a minute of live video the viewer with the right presses "−1 min" and the picture
    /// shows the camera's clock (burnt into its pixels) a minute earlier; the rewind is in the ledger; a viewer without the
    /// right gets a disabled bar saying why.
    /// </summary>
    [Fact]
    public async Task A_viewer_with_the_recorded_video_right_rewinds_a_minute_and_sees_the_camera_clock_a_minute_earlier_and_one_without_sees_why_not()
    {
        var camera = await ImportCameraAsync("rewind", 37.5600, 126.9920, "crime-prevention", "panel");
        var districtAdmin = await Node.TokenAsync("control-jung", "rewind-admin", "district-admin");
        using (var put = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11020/recorded-video-policy", districtAdmin,
                   JsonContent.Create(new { agencyKinds = new[] { "police-112-center" } })))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        var page = await SignedInPageAsync(operatorId: "rewind-operator", ready: AccessReady);
        var windowPlaylists = 0;
        page.Response += (_, r) => { if (r.Url.Contains("/window.m3u8") && r.Status == 200) Interlocked.Increment(ref windowPlaylists); };
        try
        {
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'allowed'", camera);
            var wallClock = WallClockStep.Start();
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", camera);
            await WaitForPlayingAsync(page, "#camera .live video");
            // Let the relay keep more than a minute, as the player has seen it.
            await page.WaitForFunctionAsync("() => { const p = document.querySelector('#camera .live video').played; return p.length > 0 && p.end(p.length - 1) - p.start(0) > 64; }",
                null, new PageWaitForFunctionOptions { Timeout = 120_000, PollingInterval = 500 });

            var reopensBeforeRewind = await ReopensAsync(page);
            var clicked = DateTimeOffset.UtcNow;
            await page.ClickAsync("#camera .rewind button[data-back='60']");
            await page.WaitForFunctionAsync("() => document.querySelector('#camera .rewind')?.dataset.seekedTo", null, new PageWaitForFunctionOptions { Timeout = Timeout });
            var seekedTo = DateTimeOffset.Parse((await page.GetAttributeAsync("#camera .rewind", "data-seeked-to"))!);
            Assert.InRange(seekedTo, clicked - TimeSpan.FromSeconds(75), clicked - TimeSpan.FromSeconds(55));
            // What the viewer sees: the camera's own clock, read from the frames the browser presents once the seek is done
            // (while it is still seeking, the element may present a frame from where hls.js first started in the window).
            await page.WaitForFunctionAsync("() => { const v = document.querySelector('#camera .live video'); return !v.seeking && v.readyState >= 3; }",
                null, new PageWaitForFunctionOptions { Timeout = Timeout });
            await LatencyProbe.StartAsync(page, DashboardFixture.RepositoryRoot(), "#camera .live video");
            await page.WaitForFunctionAsync("() => window.__latencySamples.length >= 5", null, new PageWaitForFunctionOptions { Timeout = Timeout });
            var shown = DateTimeOffset.FromUnixTimeMilliseconds((await LatencyProbe.ReadAsync(page)).Samples[0].PatternMs);
            // ffmpeg stamps its segments from its start plus their lengths; the camera draws the wall clock. After a step of the
            // machine's wall clock while recording (seen on a CI runner), the node stamps what the relay records by the new
            // clock, so a minute ago still shows the camera's clock a minute earlier; only footage within a segment or two of
            // the step itself may be labelled by the wrong side of it, which the range allows for.
            var step = wallClock.StepSoFar();
            output.WriteLine($"Rewound at {clicked:HH:mm:ss.fff}: the first frame shown after the seek was drawn at {shown:HH:mm:ss.fff} " +
                             $"({(clicked - shown).TotalSeconds:F1} s earlier; the wall clock stepped {step.TotalSeconds:F1} s while recording)");
            Assert.InRange(shown, clicked - TimeSpan.FromSeconds(63) + (step < TimeSpan.Zero ? step : TimeSpan.Zero),
                clicked - TimeSpan.FromSeconds(57) + (step > TimeSpan.Zero ? step : TimeSpan.Zero));
            Assert.True(windowPlaylists > 0, "the player should have loaded the window playlist");
            Assert.False(await page.IsDisabledAsync("#camera .rewind .live-button"));
            await page.WaitForFunctionAsync("() => !document.querySelector('#camera .live video').paused");
            await ScreenshotAsync(page, "40-rewind-bar-rewound");

            // One rewind in the ledger, and one more for every time the tile asked for its lapsed lease again while rewound
            // (none, unless the runner's clock stepped forward past the lease's end).
            var auditor = await Node.TokenAsync("seoul-audit", "rewind-reader", "auditor");
            var rewinds = await Eventually.WaitAsync(() => RewindsAsync(auditor), r => r.Entries.Count == 1 + r.Reopens - reopensBeforeRewind,
                TimeSpan.FromMilliseconds(Timeout), "one rewind in the ledger, and one for each reopen since");
            foreach (var row in rewinds.Entries)
            {
                Assert.Equal("allow", row.GetProperty("outcome").GetString());
                Assert.Equal("seoul-112/rewind-operator", row.GetProperty("actor").GetString());
            }

            // The operator's laptop stalls past the lease's end while rewound: the lease asked for again goes back to the
            // moment being watched (not to live), as a rewind of its own in the ledger.
            var reopens = await ReopensAsync(page);
            await page.RouteAsync("**/leases/*/renew", route => route.AbortAsync());
            await page.WaitForFunctionAsync("n => Number(document.querySelector('#camera .live').dataset.reopens ?? 0) > n", reopens,
                new PageWaitForFunctionOptions { Timeout = 90_000, PollingInterval = 200 });
            var reopened = DateTimeOffset.UtcNow;
            await page.UnrouteAsync("**/leases/*/renew");
            await page.WaitForFunctionAsync("() => document.querySelector('#camera .rewind')?.dataset.seekedTo", null, new PageWaitForFunctionOptions { Timeout = Timeout });
            var resumedAt = DateTimeOffset.Parse((await page.GetAttributeAsync("#camera .rewind", "data-seeked-to"))!);
            output.WriteLine($"Rewound to {seekedTo:HH:mm:ss}; the lease lapsed and was asked for again at {reopened:HH:mm:ss}; the tile resumed at {resumedAt:HH:mm:ss}");
            Assert.Equal("recorded", await page.GetAttributeAsync("#camera .live", "data-path"));
            Assert.InRange(resumedAt, seekedTo - TimeSpan.FromSeconds(10), reopened - TimeSpan.FromSeconds(30));
            await Eventually.WaitAsync(() => RewindsAsync(auditor), r => r.Entries.Count == 1 + r.Reopens - reopensBeforeRewind && r.Reopens > reopens,
                TimeSpan.FromMilliseconds(Timeout), "the reopened lease's rewind in the ledger");

            await page.ClickAsync("#camera .rewind .live-button");
            Assert.True(await page.IsDisabledAsync("#camera .rewind .live-button"));
        }
        finally
        {
            await page.CloseAsync();
        }

        async Task<(IReadOnlyList<JsonElement> Entries, int Reopens)> RewindsAsync(string auditor)
        {
            var reopened = await ReopensAsync(page);
            using var audit = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit?camera={camera}&kind=rewind", auditor);
            var items = (await audit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
            return ([.. items.EnumerateArray().Select(i => i.GetProperty("entry").Clone())], reopened);
        }

        // A police station's operator has standing access here but not the right: the bar is disabled and says why.
        var station = await SignedInPageAsync("police-jung", "live-only", ready: AccessReady);
        try
        {
            await station.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'allowed'", camera);
            await station.EvaluateAsync("id => window.safetynet.openCamera(id)", camera);
            await station.Locator("#camera .rewind.disabled .why").WaitForAsync();
            Assert.True(await station.IsDisabledAsync("#camera .rewind.disabled button"));
            Assert.Contains("녹화영상 열람 권한", await station.TextContentAsync("#camera .rewind .why"));
            await ScreenshotAsync(station, "41-rewind-bar-without-the-right");
        }
        finally
        {
            await station.CloseAsync();
        }
    }

    private static async Task<int> ReopensAsync(IPage page) =>
        Convert.ToInt32(await page.EvaluateAsync<string?>("() => document.querySelector('#camera .live').dataset.reopens ?? '0'"));
}
