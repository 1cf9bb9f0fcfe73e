using System.Globalization;
using Microsoft.Playwright;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;

namespace SafetyNet.Bench.Video;

/// <summary>
/// Glass-to-glass delay of today's HLS path: the RTSP test camera draws the wall-clock time into each frame (clock
/// pattern), an in-process node relays it (ffmpeg copy → HLS), and the dashboard's camera panel plays it with hls.js in
/// headless Chromium; the latency probe reads the pattern of every presented frame and subtracts it from the page's clock.
/// Camera and browser share this machine's clock, so no synchronisation is needed.
/// </summary>
public static class HlsLatencyBenchmark
{
    private const string VideoSelector = "#camera .live video";
    private const int Fps = 15;

    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;
        Console.WriteLine($"## latency-hls: glass-to-glass delay of the HLS live view in headless Chromium, {seconds} s of frames\n");
        await using var camera = await TestCameraServer.StartAsync(["latency"], Fps);
        await using var node = await InProcessNode.StartSeededAsync(new Dictionary<string, string?>
        {
            ["Demo:Cameras"] = "0",
            ["Leases:PrewarmCount"] = "0",
            ["Media:StreamUrls:AllowLoopback"] = "true",
        });
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var admin = await NodeApi.TokenAsync(http, "safetynet-ops", "bench", "platform-admin");
        var cameraId = "bench-latency-1";
        await NodeApi.ImportAsync(http, admin, [new NodeApi.BenchCamera(cameraId, 37.5600, 126.9900, camera.Url("latency"))]);

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
        await page.WaitForFunctionAsync("id => window.safetynet?.cameraAccess(id) === 'allowed'", cameraId);
        var machine = MachineLoad.Start();
        await page.EvaluateAsync("id => window.safetynet.openCamera(id)", cameraId);
        await page.WaitForFunctionAsync($"() => document.querySelector('{VideoSelector}')?.currentTime > 0.5");
        await LatencyProbe.StartAsync(page, RepositoryPaths.Root, VideoSelector);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var readings = await LatencyProbe.ReadAsync(page);
        if (readings.Samples.Count == 0) throw new InvalidOperationException($"No frame's clock pattern could be read ({readings.Unreadable} unreadable).");

        var table = new MarkdownTable("path", "frames read", "unreadable", "frames expected", "p50 ms", "p95 ms", "min ms", "max ms");
        table.Add("HLS (ffmpeg copy → hls.js, dashboard camera panel)", readings.Samples.Count, readings.Unreadable, seconds * Fps,
            readings.DelayPercentile(0.50), readings.DelayPercentile(0.95), readings.Samples.Min(s => s.DelayMs), readings.Samples.Max(s => s.DelayMs));
        Console.WriteLine(table);
        Console.WriteLine($"Test camera {Fps} fps 640x360, keyframe every 1 s; delay = Date.now() when the frame is presented − the time drawn into it.");
        Console.WriteLine($"Machine during the run: {machine.Describe()}\n");
    }
}
