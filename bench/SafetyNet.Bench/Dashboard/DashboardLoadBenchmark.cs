using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;

namespace SafetyNet.Bench.Dashboard;

/// <summary>
/// Sign-in to a usable, coloured map in the system's headless Chromium, over the 68,000-camera demo city on an in-process
/// node: each run is a fresh browser context (nothing cached) that signs in as a 112 operator. Times are the page's own
/// clock from the sign-in click to the body's data-* attributes saying districts drawn, first cameras drawn, and every
/// camera loaded and coloured by access (then one frame more, so the canvas is painted); with the bytes each API
/// request moved, the dashboard's own performance.measure entries (map:*) and the main thread's long tasks.
/// </summary>
public static class DashboardLoadBenchmark
{
    private const int DefaultRuns = 7;

    private const string Probe = """
        (() => {
          const bench = { marks: {}, longTasks: [] };
          window.__bench = bench;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
          }).observe({ type: 'longtask', buffered: true });
          const check = () => {
            const d = document.body.dataset, m = bench.marks, now = performance.now();
            if (m.districts === undefined && d.districts === '25') m.districts = now;
            if (m.firstCameras === undefined && Number(d.cameras) > 0) m.firstCameras = now;
            if (m.ready === undefined && d.camerasLoaded === 'true' && d.access === 'overview') {
              m.ready = now;
              requestAnimationFrame(() => setTimeout(() => { m.painted = performance.now(); }));
            }
          };
          document.addEventListener('DOMContentLoaded', () => new MutationObserver(check).observe(document.body, { attributes: true }));
        })();
        """;

    private const string Collect = """
        t0 => ({
          marks: Object.fromEntries(Object.entries(window.__bench.marks).map(([k, v]) => [k, v - t0])),
          blockedMs: window.__bench.longTasks.filter(t => t.start >= t0).reduce((s, t) => s + t.duration, 0),
          longestTaskMs: window.__bench.longTasks.filter(t => t.start >= t0).reduce((s, t) => Math.max(s, t.duration), 0),
          resources: performance.getEntriesByType('resource').filter(e => e.startTime >= t0 && /\/api\/v1\/|\/dashboard\//.test(e.name))
            .map(e => ({ name: new URL(e.name).pathname + new URL(e.name).search, start: e.startTime - t0, end: e.responseEnd - t0,
                         transfer: e.transferSize, decoded: e.decodedBodySize })),
          measures: performance.getEntriesByType('measure').filter(e => e.name.startsWith('map:'))
            .map(e => ({ name: e.name, start: e.startTime - t0, duration: e.duration })),
        })
        """;

    public static async Task RunAsync(string[] args)
    {
        var runs = args.Length > 0 && int.TryParse(args[0], out var n) && n > 0 ? n : DefaultRuns;
        Console.WriteLine($"## dashboard: sign-in → usable coloured map, headless Chromium, {BenchNodeSettings.Cameras:N0} cameras, {runs} runs\n");
        await using var node = await InProcessNode.StartSeededAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

        await MeasureOnceAsync(browser, node.BaseAddress); // warm-up: the node's first answers (JIT, grain activation) are not recorded
        var machine = MachineLoad.Start();
        var results = new List<RunResult>();
        for (var i = 0; i < runs; i++) results.Add(await MeasureOnceAsync(browser, node.BaseAddress));

        var table = new MarkdownTable("run", "districts ms", "first cameras ms", "all coloured ms", "painted ms", "main thread blocked ms", "longest task ms", "API bytes (wire)", "API bytes (decoded)");
        foreach (var (r, i) in results.Select((r, i) => (r, i + 1)))
            table.Add(i, r.Districts, r.FirstCameras, r.Ready, r.Painted, r.BlockedMs, r.LongestTaskMs, r.WireBytes, r.DecodedBytes);
        table.Add("**p50**", Median(results, r => r.Districts), Median(results, r => r.FirstCameras), Median(results, r => r.Ready),
            Median(results, r => r.Painted), Median(results, r => r.BlockedMs), Median(results, r => r.LongestTaskMs),
            (long)Median(results, r => r.WireBytes), (long)Median(results, r => r.DecodedBytes));
        Console.WriteLine(table);

        var median = results.OrderBy(r => r.Painted).ElementAt((results.Count - 1) / 2);
        Console.WriteLine("### The median run's requests (ms after the sign-in click)\n");
        var requests = new MarkdownTable("request", "start", "end", "bytes on the wire", "bytes decoded");
        foreach (var q in median.Resources) requests.Add(q.Name, q.Start, q.End, q.Transfer, q.Decoded);
        Console.WriteLine(requests);
        if (median.Measures.Count > 0)
        {
            Console.WriteLine("### The median run's dashboard measures (performance.measure map:*)\n");
            var measures = new MarkdownTable("measure", "start ms", "duration ms");
            foreach (var m in median.Measures) measures.Add(m.Name, m.Start, m.Duration);
            Console.WriteLine(measures);
        }
        Console.WriteLine($"Machine during the run: {machine.Describe()}\n");
    }

    private static double Median(List<RunResult> results, Func<RunResult, double> value) =>
        results.Select(value).Order().ElementAt((results.Count - 1) / 2);

    private static async Task<RunResult> MeasureOnceAsync(IBrowser browser, Uri baseAddress)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await context.AddInitScriptAsync(Probe);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync(baseAddress.ToString());
        await page.FillAsync("#agency", "seoul-112");
        await page.FillAsync("#operator", $"bench-{Guid.NewGuid():N}"[..16]);
        await page.SelectOptionAsync("#role", "operator");
        var t0 = await page.EvaluateAsync<double>("() => { const t0 = performance.now(); document.getElementById('signin-dev').click(); return t0; }");
        await page.WaitForFunctionAsync("() => window.__bench.marks.painted !== undefined", null, new PageWaitForFunctionOptions { PollingInterval = 50 });
        var json = await page.EvaluateAsync<JsonElement>(Collect, t0);
        var marks = json.GetProperty("marks");
        var resources = json.GetProperty("resources").EnumerateArray()
            .Select(e => new Request(e.GetProperty("name").GetString()!, e.GetProperty("start").GetDouble(), e.GetProperty("end").GetDouble(),
                e.GetProperty("transfer").GetInt64(), e.GetProperty("decoded").GetInt64())).ToList();
        var measures = json.GetProperty("measures").EnumerateArray()
            .Select(e => new Measure(e.GetProperty("name").GetString()!, e.GetProperty("start").GetDouble(), e.GetProperty("duration").GetDouble())).ToList();
        var api = resources.Where(r => r.Name.StartsWith("/api/v1/", StringComparison.Ordinal)).ToList();
        return new RunResult(marks.GetProperty("districts").GetDouble(), marks.GetProperty("firstCameras").GetDouble(),
            marks.GetProperty("ready").GetDouble(), marks.GetProperty("painted").GetDouble(),
            json.GetProperty("blockedMs").GetDouble(), json.GetProperty("longestTaskMs").GetDouble(),
            api.Sum(r => r.Transfer), api.Sum(r => r.Decoded), resources, measures);
    }

    private sealed record Request(string Name, double Start, double End, long Transfer, long Decoded);

    private sealed record Measure(string Name, double Start, double Duration);

    private sealed record RunResult(double Districts, double FirstCameras, double Ready, double Painted, double BlockedMs, double LongestTaskMs,
        long WireBytes, long DecodedBytes, List<Request> Resources, List<Measure> Measures);
}
