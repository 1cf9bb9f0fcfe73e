using System.Diagnostics;
using System.Globalization;
using System.Net;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Demo;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Bench.Incidents;

/// <summary>
/// Incident opened → <c>incidentOpened</c> at the dashboards, end to end on loopback: an in-process node with the
/// 68,000-camera city, 200 real SignalR dashboards of police agencies, and a dispatch system opening 112 emergency-video
/// incidents through REST on an open-loop schedule. For every (incident, dashboard of a responding agency) the latency is
/// from handing the POST to the HTTP client to that dashboard's handler running for the incident's id.
/// </summary>
public static class FanoutBenchmark
{
    private const int CityWideDashboards = 100;
    private const int DashboardsPerDistrictStation = 4;
    private const double MinLatitude = 37.48, MaxLatitude = 37.65, MinLongitude = 126.90, MaxLongitude = 127.10;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private const double WarmUpRate = 20;
    private static readonly TimeSpan PostDrain = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DeliveryQuiet = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan DeliveryDrain = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private const double TargetP99Ms = 100;

    public static async Task RunAsync(string[] args)
    {
        var rate = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
        if (rate is <= 0 or > 1000 || seconds is < 1 or > 90) throw new ArgumentException("rate 1-1000 incidents/s, duration 1-90 s");
        var count = (int)(rate * seconds);

        Console.WriteLine($"## fanout: incident opened → incidentOpened at 200 dashboards, {rate:F0} incidents/s for {seconds} s (open loop)\n");
        var machine = MachineLoad.Start();
        var runStarted = Stopwatch.GetTimestamp();
        var points = RandomSeoulPoints(count + (int)(WarmUpRate * WarmUp.TotalSeconds), seed: 112);

        await using var node = await InProcessNode.StartSeededAsync(new Dictionary<string, string?> { ["Incidents:ClosingGrace"] = "00:00:05" });
        Console.WriteLine($"In-process node started and seeded in {node.Startup.TotalSeconds:F1} s, listening on {node.BaseAddress}.\n");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = node.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };

        var agencies = DashboardAgencies();
        var connecting = Stopwatch.GetTimestamp();
        await using var fleet = await DashboardFleet.ConnectAsync(http, agencies, parallel: 16);
        Console.WriteLine($"{fleet.Dashboards.Count} dashboards connected over WebSockets and subscribed (SubscribeIncidents) in " +
                          $"{Stopwatch.GetElapsedTime(connecting).TotalSeconds:F1} s: {CityWideDashboards} of seoul-112, " +
                          $"{DashboardsPerDistrictStation} of each of the 25 police-<gu> stations.\n");

        var dispatchToken = await DashboardFleet.TokenAsync(http, "seoul-112", "bench-dispatch", "dispatch-system");
        var load = new IncidentLoad(http, dispatchToken, $"bench-{Guid.NewGuid():N}"[..18]);

        var warmUpCount = (int)(WarmUpRate * WarmUp.TotalSeconds);
        var warmUp = await load.RunAsync(points, count, warmUpCount, WarmUpRate, PostDrain);
        await WaitForDeliveriesAsync(fleet, Expected(warmUp, agencies), DeliveryQuiet, DeliveryDrain);
        Console.WriteLine($"Warm-up (not recorded): {warmUpCount} incidents at {WarmUpRate:F0}/s, {warmUp.Count(o => o.Opened)} opened.\n");
        fleet.Reset();

        var cpuBefore = Environment.CpuUsage.TotalTime;
        var measuredStart = Stopwatch.GetTimestamp();
        var outcomes = await load.RunAsync(points, 0, count, rate, PostDrain);
        var postsSettled = Stopwatch.GetTimestamp();
        var expected = Expected(outcomes, agencies);
        await WaitForDeliveriesAsync(fleet, expected, DeliveryQuiet, DeliveryDrain);
        var measuredElapsed = Stopwatch.GetElapsedTime(measuredStart);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var disconnected = fleet.Disconnected;

        Report(outcomes, fleet, agencies, rate, seconds, measuredStart, postsSettled, measuredElapsed, cpu, disconnected);
        Console.WriteLine($"Target (design.md): incident opened → SignalR event at 200 dashboards: p99 ≤ {TargetP99Ms:F0} ms at 200 incidents/s.\n");
        Console.WriteLine($"Machine during the run: {machine.Describe()}\n");
        Console.WriteLine($"Whole run, node start to report: {Stopwatch.GetElapsedTime(runStarted).TotalSeconds:F0} s.\n");
    }

    /// <summary>100 dashboards of the city-wide 112 room (they see every 112 incident) and 4 per district police station (they see their district's).</summary>
    private static string[] DashboardAgencies()
    {
        var stations = SeoulAgencies.All.Where(a => a.Kind == AgencyKind.PoliceStation).Select(a => a.Id).ToArray();
        return Enumerable.Repeat("seoul-112", CityWideDashboards)
            .Concat(stations.SelectMany(s => Enumerable.Repeat(s, DashboardsPerDistrictStation)))
            .ToArray();
    }

    private static GeoPoint[] RandomSeoulPoints(int count, int seed)
    {
        var locator = new DistrictLocator(DistrictBoundaries.Load(RepositoryPaths.DistrictBoundaries));
        var random = new Random(seed);
        var points = new List<GeoPoint>(count);
        while (points.Count < count)
        {
            var candidate = new GeoPoint(MinLatitude + random.NextDouble() * (MaxLatitude - MinLatitude),
                MinLongitude + random.NextDouble() * (MaxLongitude - MinLongitude));
            if (locator.Locate(candidate) is not null) points.Add(candidate); // the API rejects points outside the 25 districts
        }
        return points.ToArray();
    }

    private static long Expected(IEnumerable<IncidentLoad.Outcome> outcomes, string[] agencyPerDashboard)
    {
        var perAgency = agencyPerDashboard.GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
        return outcomes.Where(o => o.Opened).Sum(o => (long)o.Agencies.Sum(a => perAgency.GetValueOrDefault(a)));
    }

    /// <summary>Until every expected delivery arrived, or nothing arrived for <paramref name="quiet"/>, or <paramref name="limit"/> passed.</summary>
    private static async Task WaitForDeliveriesAsync(DashboardFleet fleet, long expected, TimeSpan quiet, TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var last = fleet.OpenedReceived;
        var lastChange = Stopwatch.GetTimestamp();
        while (fleet.OpenedReceived < expected && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50);
            var now = fleet.OpenedReceived;
            if (now != last) (last, lastChange) = (now, Stopwatch.GetTimestamp());
            else if (Stopwatch.GetElapsedTime(lastChange) >= quiet) return;
        }
    }

    private static void Report(IncidentLoad.Outcome[] outcomes, DashboardFleet fleet, string[] agencyPerDashboard, double rate, int seconds,
        long measuredStart, long postsSettled, TimeSpan measuredElapsed, TimeSpan cpu, int disconnected)
    {
        var opened = outcomes.Where(o => o.Opened).ToDictionary(o => o.IncidentId!);
        var sendWindowEnd = measuredStart + (long)(seconds * Stopwatch.Frequency);

        // Every (incident, dashboard) delivery, joined by the incident id the POST returned.
        var latencies = new List<long>(capacity: 1 << 20);
        var perIncidentLast = new Dictionary<string, (long Last, int Count)>();
        var byWindow = new Dictionary<int, List<long>>();
        long wrongAudience = 0, duplicates = 0, unknown = 0, lastArrival = 0;
        foreach (var dashboard in fleet.Dashboards)
        {
            var seen = new HashSet<string>();
            foreach (var (id, at) in dashboard.Opened)
            {
                if (!opened.TryGetValue(id, out var outcome))
                {
                    unknown++;
                    continue;
                }
                if (!outcome.Agencies.Contains(dashboard.AgencyId))
                {
                    wrongAudience++;
                    continue;
                }
                if (!seen.Add(id))
                {
                    duplicates++;
                    continue;
                }
                var latency = at - outcome.SentAt;
                latencies.Add(latency);
                lastArrival = Math.Max(lastArrival, at);
                var window = WindowOf(outcome.SentAt, measuredStart);
                if (!byWindow.TryGetValue(window, out var list)) byWindow[window] = list = [];
                list.Add(latency);
                var current = perIncidentLast.GetValueOrDefault(id);
                perIncidentLast[id] = (Math.Max(current.Last, latency), current.Count + 1);
            }
        }

        var perAgency = agencyPerDashboard.GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
        var audience = opened.Values.ToDictionary(o => o.IncidentId!, o => o.Agencies.Sum(a => perAgency.GetValueOrDefault(a)));
        var expected = audience.Values.Sum(a => (long)a);
        long delivered = latencies.Count;
        var fullyDelivered = perIncidentLast.Where(p => p.Value.Count >= audience[p.Key]).Select(p => p.Value.Last).ToArray();

        var sent = outcomes.Where(o => o.SentAt != 0).ToArray();
        var firstSent = sent.Min(o => o.SentAt);
        var lastSent = sent.Max(o => o.SentAt);
        var createdInWindow = opened.Values.Count(o => o.AnsweredAt <= sendWindowEnd);
        var lastCreated = opened.Count > 0 ? opened.Values.Max(o => o.AnsweredAt) : firstSent;
        var httpErrors = outcomes.Count(o => o.Status is { } s && s != HttpStatusCode.Created);
        var failures = outcomes.Where(o => o.Error is not null).GroupBy(o => o.Error!).Select(g => $"{g.Count():N0} × {g.Key}");
        var statuses = outcomes.Where(o => o.Status is { } s && s != HttpStatusCode.Created).GroupBy(o => (int)o.Status!).Select(g => $"{g.Count():N0} × HTTP {g.Key}");
        var dispatchLag = sent.Select(o => o.SentAt - o.DueAt).ToArray();
        var postLatency = opened.Values.Select(o => o.AnsweredAt - o.SentAt).ToArray();

        Console.WriteLine("### Load\n");
        Console.WriteLine(new MarkdownTable("incidents/s asked", "seconds", "scheduled", "sent", "sent/s", "201 Created", "201 within the send window /s",
                "201 overall /s", "HTTP errors", "not answered", "POST p50 ms", "POST p99 ms", "dispatch lag p99 ms", "CPU cores")
            .Add(rate, seconds, outcomes.Length, sent.Length, sent.Length / Seconds(lastSent - firstSent + 1), opened.Count,
                createdInWindow / (double)seconds, opened.Count / Seconds(lastCreated - firstSent), httpErrors,
                outcomes.Count(o => o.Error is not null), Ms(Percentile(postLatency, 0.50)), Ms(Percentile(postLatency, 0.99)),
                Ms(Percentile(dispatchLag, 0.99)), cpu / measuredElapsed));
        if (statuses.Concat(failures).Any()) Console.WriteLine($"Failures: {string.Join("; ", statuses.Concat(failures))}.\n");
        var cameras = opened.Values.Select(o => o.Cameras).DefaultIfEmpty().ToArray();
        Console.WriteLine($"Opened incidents: mean {cameras.Average():F1} cameras (min {cameras.Min()}, max {cameras.Max()}), " +
                          $"mean {(opened.Count == 0 ? 0 : opened.Values.Average(o => o.Agencies.Length)):F1} responding agencies, " +
                          $"mean {(audience.Count == 0 ? 0 : audience.Values.Average()):F1} subscribed dashboards each.\n");

        var all = latencies.ToArray();
        Console.WriteLine("### Deliveries (incident opened → incidentOpened at each dashboard of a responding agency)\n");
        Console.WriteLine(new MarkdownTable("expected", "delivered", "missed", "deliveries/s", "p50 ms", "p99 ms", "max ms",
                "incidents fully delivered", "all its dashboards: p50 ms", "all its dashboards: p99 ms")
            .Add(expected, delivered, expected - delivered, delivered / Seconds(lastArrival - firstSent), Ms(Percentile(all, 0.50)),
                Ms(Percentile(all, 0.99)), Ms(Percentile(all, 1.0)), fullyDelivered.Length, Ms(Percentile(fullyDelivered, 0.50)),
                Ms(Percentile(fullyDelivered, 0.99))));
        Console.WriteLine($"Checks: {wrongAudience:N0} deliveries to a dashboard whose agency does not respond (must be 0); {duplicates:N0} duplicates; " +
                          $"{unknown:N0} incidentOpened for incidents whose POST did not return 201; {fleet.GrantedReceived:N0} accessGranted " +
                          $"messages also received; {disconnected} dashboards disconnected during the run; POSTs settled " +
                          $"{Seconds(postsSettled - measuredStart):F1} s after the first was due.\n");

        var table = new MarkdownTable("incidents sent in", "sent", "201", "deliveries", "p50 ms", "p99 ms", "max ms");
        foreach (var window in Enumerable.Range(0, (int)Math.Ceiling(seconds / Window.TotalSeconds)))
        {
            var inWindow = sent.Where(o => WindowOf(o.SentAt, measuredStart) == window).ToArray();
            var windowLatencies = byWindow.GetValueOrDefault(window)?.ToArray() ?? [];
            table.Add($"{window * Window.TotalSeconds:F0}–{(window + 1) * Window.TotalSeconds:F0} s", inWindow.Length, inWindow.Count(o => o.Opened),
                windowLatencies.Length, Ms(Percentile(windowLatencies, 0.50)), Ms(Percentile(windowLatencies, 0.99)), Ms(Percentile(windowLatencies, 1.0)));
        }
        Console.WriteLine("### Over time (by when the incident was sent)\n");
        Console.WriteLine(table);

        var p99 = Ms(Percentile(all, 0.99));
        var achieved = createdInWindow / (double)seconds;
        var sustained = achieved >= 0.95 * rate && expected - delivered == 0;
        Console.WriteLine($"Verdict at {rate:F0}/s: {(sustained ? "sustained" : "NOT sustained")} ({achieved:F0} incidents/s created within the " +
                          $"{seconds} s window); delivery p99 {p99:F1} ms vs target {TargetP99Ms:F0} ms: " +
                          $"{(sustained && p99 <= TargetP99Ms ? "met" : "not met")}.\n");
    }

    private static int WindowOf(long timestamp, long start) => (int)(Seconds(timestamp - start) / Window.TotalSeconds);

    private static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>Nearest rank; 0 for an empty set (so a table still prints when nothing arrived).</summary>
    private static long Percentile(long[] values, double quantile)
    {
        if (values.Length == 0) return 0;
        var sorted = values.Order().ToArray();
        return sorted[Math.Max(0, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
    }
}
