using System.Globalization;
using System.Text.RegularExpressions;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>
/// An on-call engineer asking why incidents open slowly reads, on /metrics, how long each stage of an opening took: a stage
/// that queues (as the grant issuer once did) stands out from the others without a profiler.
/// </summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class IncidentOpeningMetricsTests(IncidentNodeFixture fixture)
{
    private static readonly string[] Stages = ["agencies", "selection", "grants", "state", "ledger", "watchdog", "prewarm", "announce"];

    [Fact]
    public async Task Each_stage_of_an_opening_is_timed_on_the_metrics_endpoint()
    {
        var before = await StageCountsAsync();
        var cad = await fixture.Node.TokenAsync("seoul-112", "cad-metrics", "dispatch-system");
        await fixture.Node.OpenIncidentAsync(cad, new { type = "112-dispatch", latitude = 37.5637, longitude = 126.9975 });
        await fixture.Node.OpenIncidentAsync(cad, new { type = "112-dispatch", latitude = 37.4837, longitude = 127.0324 });

        // The exporter caches a scrape for a moment, so a scrape right after the openings may still be the earlier one.
        var after = await Eventually.WaitAsync(StageCountsAsync,
            counts => Stages.All(stage => counts.GetValueOrDefault(stage) - before.GetValueOrDefault(stage) >= 2),
            TimeSpan.FromSeconds(30), "both openings timed in every stage");
        Assert.Equal(Stages.Order(), after.Keys.Order());
    }

    /// <summary>How many openings each stage has timed, from the Prometheus histogram's _count series.</summary>
    private async Task<Dictionary<string, long>> StageCountsAsync()
    {
        var text = await fixture.Node.Http.GetStringAsync("/metrics");
        return Regex.Matches(text, @"^safetynet_incident_open_stage_duration_milliseconds_count\{[^}]*stage=""([^""]+)""[^}]*\} (\d+)", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }
}
