using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Streams;

namespace SafetyNet.Bench.Video;

/// <summary>
/// What an operator sees, in headless Chromium on the dashboard's camera panel, against the clock-pattern test camera
/// (the wall-clock time drawn into each frame; camera and browser share this machine's clock):
/// glass-to-glass delay of the low-latency path (fMP4 over WebSocket into MSE) and of HLS, in the same run; and the time
/// from opening a camera (its lease POST) to the first frame the browser presents, for pre-warmed and cold cameras.
/// </summary>
public static class LatencyBenchmark
{
    private const string VideoSelector = "#camera .live video";
    private const int Fps = 15;
    private const double BaseLatitude = 37.5600, BaseLongitude = 126.9900;
    // Pre-warmed cameras lie about 180 m apart in Jung-gu; an incident exactly at one pre-warms that one (Leases:PrewarmCount 1).
    private const double WarmSpacing = 0.002;

    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var trials = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        Console.WriteLine($"## latency: glass-to-glass ({seconds} s of frames per path) and open → first presented frame ({trials} trials each), headless Chromium\n");
        await using var camera = await TestCameraServer.StartAsync(["latency"], Fps);
        await using var node = await InProcessNode.StartSeededAsync(new Dictionary<string, string?>
        {
            ["Demo:Cameras"] = "0",
            ["Leases:PrewarmCount"] = "1",
            ["Media:LingerPeriod"] = "00:00:02",
            ["Media:StreamUrls:AllowLoopback"] = "true",
        });
        var relays = node.Services.GetRequiredService<RelayHost>();
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var admin = await NodeApi.TokenAsync(http, "safetynet-ops", "bench", "platform-admin");
        // Every camera is the same RTSP path: a new pull joins the camera's running encoder mid-GOP, as with a real camera.
        var glass = new NodeApi.BenchCamera("bench-glass", BaseLatitude, BaseLongitude, camera.Url("latency"));
        var cold = Enumerable.Range(0, trials).Select(i => new NodeApi.BenchCamera($"bench-cold-{i}", BaseLatitude + 0.0001 * (i + 1), BaseLongitude, camera.Url("latency"))).ToArray();
        var warm = Enumerable.Range(0, trials).Select(i => new NodeApi.BenchCamera($"bench-warm-{i}", BaseLatitude + 0.002, BaseLongitude + WarmSpacing * (i + 1), camera.Url("latency"))).ToArray();
        await NodeApi.ImportAsync(http, admin, [glass, .. cold, .. warm]);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(90_000);
        await page.GotoAsync(node.BaseAddress.ToString());
        await page.FillAsync("#agency", "seoul-112");
        await page.FillAsync("#operator", "bench-latency");
        await page.SelectOptionAsync("#role", "operator");
        await page.ClickAsync("#signin-dev");
        await page.WaitForFunctionAsync("id => window.safetynet?.cameraAccess(id) === 'allowed'", glass.Id);
        var machine = MachineLoad.Start();

        var glassTable = new MarkdownTable("path", "frames read", "unreadable", "frames expected", "p50 ms", "p95 ms", "min ms", "max ms");
        var first = true;
        foreach (var (path, label) in new[] { ("live", "low latency (ffmpeg copy → fMP4 → WebSocket → MSE)"), ("hls", "HLS (ffmpeg copy → 1 s segments → hls.js)") })
        {
            await page.EvaluateAsync("p => p === 'hls' ? localStorage.setItem('safetynet.videoPath', 'hls') : localStorage.removeItem('safetynet.videoPath')", path);
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", glass.Id);
            await page.WaitForFunctionAsync($"p => document.querySelector('#camera .live')?.dataset.path === p && document.querySelector('{VideoSelector}')?.currentTime > 0.5", path);
            if (first) await LatencyProbe.StartAsync(page, RepositoryPaths.Root, VideoSelector);
            else await LatencyProbe.AttachAsync(page, VideoSelector);
            first = false;
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var readings = await LatencyProbe.ReadAsync(page);
            if (readings.Samples.Count == 0) throw new InvalidOperationException($"No frame's clock pattern could be read on the {path} path ({readings.Unreadable} unreadable).");
            glassTable.Add(label, readings.Samples.Count, readings.Unreadable, seconds * Fps, readings.DelayPercentile(0.50), readings.DelayPercentile(0.95),
                readings.Samples.Min(s => s.DelayMs), readings.Samples.Max(s => s.DelayMs));
        }
        await page.EvaluateAsync("() => localStorage.removeItem('safetynet.videoPath')");
        Console.WriteLine("### Glass-to-glass delay (Date.now() when the browser presents a frame − the time drawn into it)\n");
        Console.WriteLine(glassTable);

        var dispatch = await NodeApi.TokenAsync(http, "seoul-112", "bench-cad", "dispatch-system");
        var startup = new MarkdownTable("camera", "measured from", "trials", "p50 ms", "max ms", "min ms", "target p50 ms");
        var warmMs = new List<(double FromOpen, double FromLease)>();
        foreach (var c in warm)
        {
            using (var incident = await NodeApi.SendAsync(http, HttpMethod.Post, "/api/v1/incidents", dispatch,
                       JsonContent.Create(new { type = "112-emergency-video", latitude = c.Latitude, longitude = c.Longitude, priority = 1, externalReference = $"bench-latency-{Guid.NewGuid():N}" })))
                if (!incident.IsSuccessStatusCode) throw new InvalidOperationException($"Opening an incident failed: {(int)incident.StatusCode} {await incident.Content.ReadAsStringAsync()}");
            if (!await NodeApi.WaitAsync(() => relays.StatusOf(c.Id).State == StreamState.Ready, TimeSpan.FromSeconds(20)))
                throw new TimeoutException($"{c.Id} was not pre-warmed (ready) within 20 s of its incident.");
            warmMs.Add(await OpenToFirstFrameAsync(page, c.Id));
        }
        var coldMs = new List<(double FromOpen, double FromLease)>();
        foreach (var c in cold) coldMs.Add(await OpenToFirstFrameAsync(page, c.Id));
        foreach (var (label, trialsMs, target) in new[] { ("pre-warmed (incident open, relay ready)", warmMs, 300), ("cold (no relay)", coldMs, 1500) })
        {
            startup.Add(label, "lease POST sent", trialsMs.Count, NodeApi.Percentile(trialsMs.Select(t => t.FromLease), 0.5), trialsMs.Max(t => t.FromLease), trialsMs.Min(t => t.FromLease), target);
            startup.Add(label, "panel opened (access check first)", trialsMs.Count, NodeApi.Percentile(trialsMs.Select(t => t.FromOpen), 0.5), trialsMs.Max(t => t.FromOpen), trialsMs.Min(t => t.FromOpen), "");
        }
        Console.WriteLine("### Camera panel → first frame presented (requestVideoFrameCallback), low-latency path\n");
        Console.WriteLine(startup);
        string Trials(IEnumerable<(double FromOpen, double FromLease)> ms) => string.Join(", ", ms.Select(m => m.FromLease.ToString("F0", CultureInfo.InvariantCulture)));
        Console.WriteLine($"From the lease POST, pre-warmed trials: {Trials(warmMs)} ms; cold: {Trials(coldMs)} ms.\n");
        Console.WriteLine($"Test camera {Fps} fps 640x360, keyframe every 1 s (x264 zerolatency). Machine during the run: {machine.Describe()}\n");
    }

    /// <summary>From the camera panel asking for the lease to the browser presenting the first frame, by the page's clock.</summary>
    private static async Task<(double FromOpen, double FromLease)> OpenToFirstFrameAsync(IPage page, string cameraId)
    {
        var started = Stopwatch.GetTimestamp();
        var ms = await page.EvaluateAsync<double[]>("""
            id => new Promise((resolve, reject) => {
              const t0 = performance.now();
              window.safetynet.openCamera(id);
              // The panel asks for the access decision first, then starts the player in a tile marked with the camera.
              const watch = () => {
                const video = document.querySelector(`#camera .live[data-camera="${id}"] video`);
                if (video) video.requestVideoFrameCallback(() => {
                  const shown = performance.now();
                  // The lease POST's own start, from resource timing: the panel asks for the access decision before it.
                  const lease = performance.getEntriesByType('resource').findLast((e) => e.name.includes(`/cameras/${encodeURIComponent(id)}/leases`));
                  resolve([shown - t0, lease ? shown - lease.startTime : NaN]);
                });
                else requestAnimationFrame(watch);
              };
              watch();
              setTimeout(() => reject(new Error('no frame within 20 s')), 20000);
            })
            """, cameraId);
        if (Stopwatch.GetElapsedTime(started).TotalSeconds > 25) throw new TimeoutException($"{cameraId}: the page took too long to answer.");
        return (ms[0], ms[1]);
    }
}
