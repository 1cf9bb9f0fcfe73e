using System.Diagnostics;

namespace SafetyNet.Bench.Incidents;

/// <summary>
/// Joins what the dispatch system sent with what the dashboards received. A delivery is one (incident, dashboard) pair
/// whose dashboard's agency responds to the incident; its latency runs from handing the POST to the HTTP client to the
/// dashboard's handler running. Deliveries of incidents whose POST did not come back 201 (a 500 after the grain call
/// timed out, or cancelled by the benchmark) are matched through the externalReference and kept apart.
/// </summary>
public sealed class DeliveryAnalysis
{
    public long Expected { get; private init; }
    public long WrongAudience { get; private init; }
    public long Duplicates { get; private init; }
    public long Unmatched { get; private init; }
    public long LastArrival { get; private init; }

    /// <summary>Sorted latencies (Stopwatch ticks) of every expected delivery that arrived.</summary>
    public long[] Latencies { get; private init; } = [];

    /// <summary>Sorted, per incident whose every subscribed dashboard got it: the latency of the last of them.</summary>
    public long[] AllDashboards { get; private init; } = [];

    /// <summary>Sorted (signed) time from the POST's own 201 answer to each delivery: negative when the dashboard had the event first.</summary>
    public long[] AfterAnswer { get; private init; } = [];

    /// <summary>Sorted latencies of deliveries for incidents whose POST did not return 201.</summary>
    public long[] ForFailedPosts { get; private init; } = [];

    /// <summary>Delivery latencies by the window (index) in which their incident was sent.</summary>
    public Dictionary<int, long[]> ByWindow { get; private init; } = [];

    public long Delivered => Latencies.Length;

    public long Missed => Expected - Delivered;

    public static DeliveryAnalysis Of(IncidentLoad.Outcome[] outcomes, DashboardFleet fleet, Func<int, string> referenceOf, long start, TimeSpan window)
    {
        var opened = outcomes.Where(o => o.Opened).ToDictionary(o => o.IncidentId!);
        var byReference = outcomes.ToDictionary(o => referenceOf(o.Sequence));
        var dashboardsPerAgency = fleet.Dashboards.GroupBy(d => d.AgencyId).ToDictionary(g => g.Key, g => g.Count());
        var audience = opened.Values.ToDictionary(o => o.IncidentId!, o => o.Agencies.Sum(a => dashboardsPerAgency.GetValueOrDefault(a)));

        var latencies = new List<long>(capacity: 1 << 20);
        var failed = new List<long>();
        var afterAnswer = new List<long>(capacity: 1 << 20);
        var last = new Dictionary<string, (long Latency, int Count)>();
        var byWindow = new Dictionary<int, List<long>>();
        long wrong = 0, duplicates = 0, unmatched = 0, lastArrival = 0;
        foreach (var dashboard in fleet.Dashboards)
        {
            var seen = new HashSet<string>();
            foreach (var (id, reference, at) in dashboard.Opened)
            {
                if (!seen.Add(id))
                {
                    duplicates++;
                    continue;
                }
                if (!opened.TryGetValue(id, out var outcome))
                {
                    if (reference is not null && byReference.TryGetValue(reference, out var sent) && sent.SentAt != 0) failed.Add(at - sent.SentAt);
                    else unmatched++;
                    continue;
                }
                if (!outcome.Agencies.Contains(dashboard.AgencyId))
                {
                    wrong++;
                    continue;
                }
                var latency = at - outcome.SentAt;
                latencies.Add(latency);
                afterAnswer.Add(at - outcome.AnsweredAt);
                lastArrival = Math.Max(lastArrival, at);
                var w = WindowOf(outcome.SentAt, start, window);
                if (!byWindow.TryGetValue(w, out var list)) byWindow[w] = list = [];
                list.Add(latency);
                var current = last.GetValueOrDefault(id);
                last[id] = (Math.Max(current.Latency, latency), current.Count + 1);
            }
        }
        return new DeliveryAnalysis
        {
            Expected = audience.Values.Sum(a => (long)a),
            WrongAudience = wrong,
            Duplicates = duplicates,
            Unmatched = unmatched,
            LastArrival = lastArrival,
            Latencies = Sorted(latencies),
            AllDashboards = Sorted(last.Where(p => p.Value.Count >= audience[p.Key]).Select(p => p.Value.Latency)),
            AfterAnswer = Sorted(afterAnswer),
            ForFailedPosts = Sorted(failed),
            ByWindow = byWindow.ToDictionary(p => p.Key, p => Sorted(p.Value)),
        };
    }

    public static int WindowOf(long timestamp, long start, TimeSpan window) =>
        (int)((timestamp - start) / (double)Stopwatch.Frequency / window.TotalSeconds);

    public static long[] Sorted(IEnumerable<long> values)
    {
        var array = values.ToArray();
        Array.Sort(array);
        return array;
    }

    /// <summary>Nearest rank over a sorted array, in milliseconds; 0 for an empty set (so that a table still prints).</summary>
    public static double Ms(long[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[Math.Max(0, (int)Math.Ceiling(quantile * sorted.Length) - 1)] * 1000.0 / Stopwatch.Frequency;

    /// <summary>Share (%) of a sorted array below zero.</summary>
    public static double PercentNegative(long[] sorted) =>
        sorted.Length == 0 ? 0 : sorted.Count(v => v < 0) * 100.0 / sorted.Length;
}
