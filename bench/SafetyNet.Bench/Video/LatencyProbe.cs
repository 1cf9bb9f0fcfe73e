using System.Text.Json;
using Microsoft.Playwright;

namespace SafetyNet.Bench.Video;

/// <summary>
/// latency-probe/latencyProbe.js started on a video element of a page: Playwright serves it under /__latency/ (the node
/// never does) beside the dashboard's clockPattern.js. Each sample is how long before the browser presented a frame the
/// test camera drew it. Compiled into the bench and linked into the browser tests.
/// </summary>
public static class LatencyProbe
{
    public sealed record Sample(long PatternMs, double DelayMs, double MediaTime);

    public sealed record Readings(IReadOnlyList<Sample> Samples, int Unreadable);

    public static async Task StartAsync(IPage page, string repositoryRoot, string videoSelector)
    {
        var files = new Dictionary<string, string>
        {
            ["latencyProbe.js"] = Path.Combine(repositoryRoot, "bench", "SafetyNet.Bench", "Video", "latency-probe", "latencyProbe.js"),
            ["clockPattern.js"] = Path.Combine(repositoryRoot, "silo", "dashboard", "src", "clockPattern.js"),
        };
        await page.RouteAsync("**/__latency/*.js", route =>
            files.TryGetValue(Path.GetFileName(new Uri(route.Request.Url).AbsolutePath), out var file)
                ? route.FulfillAsync(new RouteFulfillOptions { Path = file, ContentType = "text/javascript" })
                : route.FulfillAsync(new RouteFulfillOptions { Status = 404 }));
        await AttachAsync(page, videoSelector);
    }

    /// <summary>Starts the probe over on another video element of a page already started (the samples so far are dropped).</summary>
    public static async Task AttachAsync(IPage page, string videoSelector)
    {
        await page.EvaluateAsync("""
            async selector => {
              const { probeLatency } = await import('/__latency/latencyProbe.js');
              window.__latencyStop?.();
              window.__latencyStop = probeLatency(document.querySelector(selector));
            }
            """, videoSelector);
    }

    public static async Task<Readings> ReadAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>("() => ({ samples: window.__latencySamples, unreadable: window.__latencyUnreadable })");
        var samples = json.GetProperty("samples").EnumerateArray()
            .Select(s => new Sample(s.GetProperty("patternMs").GetInt64(), s.GetProperty("delayMs").GetDouble(), s.GetProperty("mediaTime").GetDouble()))
            .ToList();
        return new Readings(samples, json.GetProperty("unreadable").GetInt32());
    }

    /// <summary>Nearest-rank percentile of the samples' delays.</summary>
    public static double DelayPercentile(this Readings readings, double quantile)
    {
        var sorted = readings.Samples.Select(s => s.DelayMs).Order().ToArray();
        return sorted[Math.Max(0, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
    }
}
