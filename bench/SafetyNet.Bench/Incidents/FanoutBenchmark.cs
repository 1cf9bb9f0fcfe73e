using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Incidents.WallScreens;
using SafetyNet.Bench.Measurement;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Demo;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Bench.Incidents;

/// <summary>
/// Incident opened → <c>incidentOpened</c> at the dashboards, end to end on loopback: an in-process node with the
/// 68,000-camera city, 1,000 real SignalR dashboards of police agencies (or as many as asked), and a dispatch system opening 112 emergency-video
/// incidents through REST. First one incident at a time (the unloaded cost), then an open-loop schedule at the asked rate.
/// For every (incident, dashboard of a responding agency) the latency runs from handing the POST to the HTTP client to
/// that dashboard's handler running for the incident's id.
/// </summary>
public static class FanoutBenchmark
{
    private const int DistrictStations = 25;
    private const double MinLatitude = 37.48, MaxLatitude = 37.65, MinLongitude = 126.90, MaxLongitude = 127.10;
    private static readonly TimeSpan OneAtATime = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PostDrain = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DeliveryQuiet = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan DeliveryDrain = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private const double TargetP99Ms = 100;

    public static async Task RunAsync(string[] args)
    {
        var rate = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;
        var dashboards = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
        // Incidents opened one at a time before anything is measured. The default (3 s) keeps the figures comparable with
        // earlier runs; a longer one measures a node whose JIT has settled, as a node that has run for a while has.
        var warmUp = TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3);
        var client = args.Length > 4 ? Enum.Parse<WallScreenClientKind>(args[4], ignoreCase: true) : WallScreenClientKind.SignalR;
        if (rate is <= 0 or > 1000 || seconds is < 1 or > 90) throw new ArgumentException("rate 1-1000 incidents/s, duration 1-90 s");
        if (dashboards is < 50 or > 5000 || dashboards % 50 != 0) throw new ArgumentException("dashboards: a multiple of 50 from 50 to 5,000");
        if (warmUp < TimeSpan.FromSeconds(1) || warmUp > TimeSpan.FromMinutes(5)) throw new ArgumentException("warm-up: 1-300 s");
        var count = (int)(rate * seconds);
        // A fifth in the city-wide 112 room (every 112 incident), the rest spread evenly over the 25 district police stations.
        var cityWide = dashboards / 5;
        var perStation = (dashboards - cityWide) / DistrictStations;

        Console.WriteLine($"## fanout: incident opened → incidentOpened at {dashboards} dashboards, {rate:F0} incidents/s for {seconds} s (open loop)\n");
        var machine = MachineLoad.Start();
        var runStarted = Stopwatch.GetTimestamp();
        var points = RandomSeoulPoints(count + 10_000, seed: 112);

        // The node logs only critical events here: under overload every timed-out grain call is logged with a multi-KB
        // diagnostic, and formatting that flood would be measured as well. Failures are counted from the HTTP answers.
        await using var node = await InProcessNode.StartSeededAsync(new Dictionary<string, string?>
        {
            ["Incidents:ClosingGrace"] = "00:00:05",
            ["Logging:LogLevel:Default"] = "Critical",
        });
        Console.WriteLine($"In-process node started and seeded in {node.Startup.TotalSeconds:F1} s, listening on {node.BaseAddress}.\n");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = node.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };

        var connecting = Stopwatch.GetTimestamp();
        await using var fleet = await DashboardFleet.ConnectAsync(http, DashboardAgencies(cityWide, perStation), parallel: 16, client);
        Console.WriteLine($"{fleet.Dashboards.Count} dashboards connected over WebSockets and subscribed (SubscribeIncidentCards) in " +
                          $"{Stopwatch.GetElapsedTime(connecting).TotalSeconds:F1} s, on the {client} client: {cityWide} of seoul-112, " +
                          $"{perStation} of each of the 25 police-<gu> stations. Each 112 emergency-video incident " +
                          $"goes to seoul-112 and the police station of its district, so to {cityWide + perStation} dashboards.\n");

        var dispatchToken = await DashboardFleet.TokenAsync(http, "seoul-112", "bench-dispatch", "dispatch-system");
        var load = new IncidentLoad(http, dispatchToken, $"bench-{Guid.NewGuid():N}"[..18]);
        var sequence = count;

        var warmedUp = await load.RunOneAtATimeAsync(points, sequence, warmUp);
        sequence += warmedUp.Length;
        await WaitForDeliveriesAsync(fleet, warmedUp, DeliveryQuiet, DeliveryDrain);
        Console.WriteLine($"Warm-up (not recorded): {warmedUp.Length} incidents one at a time over {warmUp.TotalSeconds:F0} s, {warmedUp.Count(o => o.Opened)} opened.\n");
        fleet.Reset();

        var baselineStart = Stopwatch.GetTimestamp();
        var baseline = await load.RunOneAtATimeAsync(points, sequence, OneAtATime);
        var baselineElapsed = Stopwatch.GetElapsedTime(baselineStart);
        await WaitForDeliveriesAsync(fleet, baseline, DeliveryQuiet, DeliveryDrain);
        ReportOneAtATime(baseline, DeliveryAnalysis.Of(baseline, fleet, load.ReferenceOf, baselineStart, Window), baselineElapsed);
        fleet.Reset(expectedPerDashboard: (int)(rate * seconds * 1.1));
        // The warm-up's and the analysis's garbage is collected now, not by a gen2 collection inside the measured minute.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);

        var cpuBefore = Environment.CpuUsage.TotalTime;
        var measuredStart = Stopwatch.GetTimestamp();
        using var threadPool = ThreadPoolSampler.Start(TimeSpan.FromMilliseconds(250));
        using var gc = GcActivity.Start();
        using var stages = OpeningStages.Listen();
        using var lockWaits = LockWaits.Start();
        var outcomes = await load.RunAsync(points, 0, count, rate, PostDrain);
        var postsSettled = Stopwatch.GetTimestamp();
        await WaitForDeliveriesAsync(fleet, outcomes, DeliveryQuiet, DeliveryDrain);
        var measuredElapsed = Stopwatch.GetElapsedTime(measuredStart);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var disconnected = fleet.Disconnected;
        var deliveries = DeliveryAnalysis.Of(outcomes, fleet, load.ReferenceOf, measuredStart, Window);

        ReportOpenLoop(outcomes, deliveries, fleet, rate, seconds, measuredStart, postsSettled, cpu / measuredElapsed, disconnected);
        Console.WriteLine($"Thread pool during the open-loop run (sampled every 250 ms): {threadPool.Describe()}.\n");
        Console.WriteLine($"Garbage collection during the open-loop run: {gc.Describe()}.\n");
        Console.WriteLine($"Database during the open-loop run: {lockWaits.Describe()}.\n");
        Console.WriteLine($"Paused for collections, by window of the run: {gc.ByWindow(Window, (int)Math.Ceiling(seconds / Window.TotalSeconds))}.\n");
        Console.WriteLine("Where the node's openings spent their time, by the window in which they finished (its stage histogram, as on /metrics):\n");
        Console.WriteLine(stages.ByWindow(measuredStart, Window, (int)Math.Ceiling(seconds / Window.TotalSeconds)));
        Console.WriteLine($"Target (issue 14): incident opened → SignalR event at 1,000 dashboards: p99 ≤ {TargetP99Ms:F0} ms at 200 incidents/s.\n");
        Console.WriteLine($"Machine during the run: {machine.Describe()}\n");
        Console.WriteLine($"Whole run, node start to report: {Stopwatch.GetElapsedTime(runStarted).TotalSeconds:F0} s.\n");
    }

    /// <summary>Dashboards of the city-wide 112 room (they see every 112 incident) and of each district police station (they see their district's).</summary>
    private static string[] DashboardAgencies(int cityWide, int perStation)
    {
        var stations = DemoAgencies.Seoul.Where(a => a.Kind == AgencyKind.PoliceStation).Select(a => a.Id).ToArray();
        return Enumerable.Repeat("seoul-112", cityWide)
            .Concat(stations.SelectMany(s => Enumerable.Repeat(s, perStation)))
            .ToArray();
    }

    private static GeoPoint[] RandomSeoulPoints(int count, int seed)
    {
        var locator = new DistrictLocator(DistrictBoundaries.Load(RepositoryPaths.DistrictBoundaries, Region.Seoul, NullLogger.Instance));
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

    /// <summary>Until every expected delivery arrived, or nothing arrived for <paramref name="quiet"/>, or <paramref name="limit"/> passed.</summary>
    private static async Task WaitForDeliveriesAsync(DashboardFleet fleet, IncidentLoad.Outcome[] outcomes, TimeSpan quiet, TimeSpan limit)
    {
        var perAgency = fleet.Dashboards.GroupBy(d => d.AgencyId).ToDictionary(g => g.Key, g => g.Count());
        var expected = outcomes.Where(o => o.Opened).Sum(o => (long)o.Agencies.Sum(a => perAgency.GetValueOrDefault(a)));
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

    private static void ReportOneAtATime(IncidentLoad.Outcome[] outcomes, DeliveryAnalysis d, TimeSpan elapsed)
    {
        var post = DeliveryAnalysis.Sorted(outcomes.Where(o => o.Opened).Select(o => o.AnsweredAt - o.SentAt));
        Console.WriteLine($"### One incident at a time ({OneAtATime.TotalSeconds:F0} s, closed loop: the next POST waits for the previous answer)\n");
        Console.WriteLine(new MarkdownTable("incidents", "incidents/s", "HTTP errors", "POST p50 ms", "POST p99 ms", "deliveries", "missed",
                "delivery p50 ms", "delivery p99 ms", "delivery max ms")
            .Add(outcomes.Length, outcomes.Length / elapsed.TotalSeconds, outcomes.Count(o => !o.Opened), DeliveryAnalysis.Ms(post, 0.5),
                DeliveryAnalysis.Ms(post, 0.99), d.Delivered, d.Missed, DeliveryAnalysis.Ms(d.Latencies, 0.5), DeliveryAnalysis.Ms(d.Latencies, 0.99),
                DeliveryAnalysis.Ms(d.Latencies, 1.0)));
        DescribeAfterAnswer(d);
    }

    /// <summary>The node publishes incidentOpened before it answers the POST, so this shows what fan-out adds on top of opening.</summary>
    private static void DescribeAfterAnswer(DeliveryAnalysis d) =>
        Console.WriteLine($"Delivery relative to the POST's own 201 answer: p50 {DeliveryAnalysis.Ms(d.AfterAnswer, 0.5):F1} ms, " +
                          $"p99 {DeliveryAnalysis.Ms(d.AfterAnswer, 0.99):F1} ms; {DeliveryAnalysis.PercentNegative(d.AfterAnswer):F0} % of deliveries " +
                          $"reached the dashboard before the dispatch system had its answer.\n");

    private static void ReportOpenLoop(IncidentLoad.Outcome[] outcomes, DeliveryAnalysis d, DashboardFleet fleet, double rate, int seconds,
        long measuredStart, long postsSettled, double cpuCores, int disconnected)
    {
        var opened = outcomes.Where(o => o.Opened).ToArray();
        var sent = outcomes.Where(o => o.SentAt != 0).ToArray();
        var firstSent = sent.Min(o => o.SentAt);
        var lastSent = sent.Max(o => o.SentAt);
        var sendWindowEnd = measuredStart + (long)(seconds * Stopwatch.Frequency);
        var createdInWindow = opened.Count(o => o.AnsweredAt <= sendWindowEnd);
        var lastCreated = opened.Length > 0 ? opened.Max(o => o.AnsweredAt) : firstSent + 1;
        var httpErrors = outcomes.Count(o => o.Status is { } s && s != HttpStatusCode.Created);
        var failures = outcomes.Where(o => o.Status is { } s && s != HttpStatusCode.Created).GroupBy(o => $"HTTP {(int)o.Status!}")
            .Concat(outcomes.Where(o => o.Error is not null).GroupBy(o => o.Error!))
            .Select(g => $"{g.Count():N0} × {g.Key}").ToArray();
        var dispatchLag = DeliveryAnalysis.Sorted(sent.Select(o => o.SentAt - o.DueAt));
        var post = DeliveryAnalysis.Sorted(opened.Select(o => o.AnsweredAt - o.SentAt));

        Console.WriteLine($"### Open loop: {rate:F0} incidents/s scheduled for {seconds} s\n");
        Console.WriteLine(new MarkdownTable("incidents/s asked", "scheduled", "sent/s", "201 Created", "201/s within the send window",
                "201/s overall", "HTTP errors", "not answered", "POST p50 ms", "POST p99 ms", "send lag p99 ms", "CPU cores")
            .Add(rate, outcomes.Length, sent.Length / Seconds(lastSent - firstSent + 1), opened.Length, createdInWindow / (double)seconds,
                opened.Length / Seconds(lastCreated - firstSent), httpErrors, outcomes.Count(o => o.Error is not null),
                DeliveryAnalysis.Ms(post, 0.5), DeliveryAnalysis.Ms(post, 0.99), DeliveryAnalysis.Ms(dispatchLag, 0.99), cpuCores));
        if (failures.Length > 0) Console.WriteLine($"Not 201: {string.Join("; ", failures)}. (The POSTs still unanswered {PostDrain.TotalSeconds:F0} s after the last was sent are cancelled by the benchmark.)\n");
        var cameras = opened.Select(o => o.Cameras).DefaultIfEmpty().ToArray();
        Console.WriteLine($"Opened incidents: mean {cameras.Average():F1} cameras (min {cameras.Min()}, max {cameras.Max()}), " +
                          $"mean {(opened.Length == 0 ? 0 : opened.Average(o => o.Agencies.Length)):F1} responding agencies.\n");

        Console.WriteLine("Deliveries (incident opened → incidentOpened at each subscribed dashboard of a responding agency), for the incidents that got 201:\n");
        Console.WriteLine(new MarkdownTable("expected", "delivered", "missed", "deliveries/s", "p50 ms", "p99 ms", "max ms",
                "incidents fully delivered", "last of its dashboards p50 ms", "last of its dashboards p99 ms")
            .Add(d.Expected, d.Delivered, d.Missed, d.Delivered / Seconds(Math.Max(d.LastArrival - firstSent, 1)), DeliveryAnalysis.Ms(d.Latencies, 0.5),
                DeliveryAnalysis.Ms(d.Latencies, 0.99), DeliveryAnalysis.Ms(d.Latencies, 1.0), d.AllDashboards.Length,
                DeliveryAnalysis.Ms(d.AllDashboards, 0.5), DeliveryAnalysis.Ms(d.AllDashboards, 0.99)));
        DescribeAfterAnswer(d);
        Console.WriteLine($"Also: {d.ForFailedPosts.Length:N0} deliveries of incidents whose POST did not return 201 (the node finished them after the " +
                          $"client's answer; p50 {DeliveryAnalysis.Ms(d.ForFailedPosts, 0.5):F0} ms, max {DeliveryAnalysis.Ms(d.ForFailedPosts, 1.0):F0} ms " +
                          $"after their POST). Checks: {d.WrongAudience:N0} deliveries to a dashboard whose agency does not respond (must be 0); " +
                          $"{d.Duplicates:N0} duplicates; {d.Unmatched:N0} unmatched; {fleet.GrantedReceived:N0} accessGranted messages also received; " +
                          $"{fleet.Sequence.Gaps:N0} sequence gaps seen and {fleet.Sequence.Resyncs:N0} resyncs made; " +
                          $"{disconnected} dashboards disconnected; all POSTs settled {Seconds(postsSettled - measuredStart):F1} s after the first was due.\n");

        var table = new MarkdownTable("incidents sent in", "sent", "201", "deliveries", "p50 ms", "p99 ms", "max ms");
        for (var window = 0; window < (int)Math.Ceiling(seconds / Window.TotalSeconds); window++)
        {
            var inWindow = sent.Where(o => DeliveryAnalysis.WindowOf(o.SentAt, measuredStart, Window) == window).ToArray();
            var latencies = d.ByWindow.GetValueOrDefault(window) ?? [];
            table.Add($"{window * Window.TotalSeconds:F0}–{(window + 1) * Window.TotalSeconds:F0} s", inWindow.Length, inWindow.Count(o => o.Opened),
                latencies.Length, DeliveryAnalysis.Ms(latencies, 0.5), DeliveryAnalysis.Ms(latencies, 0.99), DeliveryAnalysis.Ms(latencies, 1.0));
        }
        Console.WriteLine("By when the incident was sent:\n");
        Console.WriteLine(table);

        var achieved = createdInWindow / (double)seconds;
        var sustained = achieved >= 0.95 * rate && httpErrors == 0 && d.Missed == 0;
        var p99 = DeliveryAnalysis.Ms(d.Latencies, 0.99);
        Console.WriteLine($"Verdict at {rate:F0}/s: {(sustained ? "sustained" : "NOT sustained")} ({achieved:F1} incidents/s created within the " +
                          $"{seconds} s window); delivery p99 {p99:F1} ms vs the target {TargetP99Ms:F0} ms: " +
                          $"{(sustained && p99 <= TargetP99Ms ? "met" : "not met")}.\n");
    }

    private static double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;
}
