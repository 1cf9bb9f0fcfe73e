using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Grains.Observability;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>
/// An on-call engineer asking why incidents open slowly reads how long each stage of an opening took
/// (<c>safetynet.incident.open.stage.duration</c>, exported on /metrics): a stage that queues, as the grant issuer once did,
/// stands out from the others without a profiler.
/// </summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class IncidentOpeningMetricsTests(IncidentNodeFixture fixture)
{
    public static readonly string[] Stages = ["agencies", "selection", "grants", "state", "prewarm", "announce"];

    [Fact]
    public async Task Each_stage_of_an_opening_is_timed_on_the_node_s_meter()
    {
        // This node's meter only: the test process runs other nodes, each with a "SafetyNet" meter of its own (and a scrape of
        // /metrics here would aggregate them all, or lose the series when another node's meter is disposed).
        var nodeMeters = fixture.Node.App.Services.GetRequiredService<IMeterFactory>();
        var timed = new ConcurrentDictionary<string, int>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == nodeMeters && instrument.Meter.Name == SafetyNetMetrics.MeterName
                    && instrument.Name == "safetynet.incident.open.stage.duration") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, milliseconds, tags, _) =>
        {
            Assert.True(milliseconds >= 0);
            foreach (var tag in tags)
                if (tag.Key == "stage") timed.AddOrUpdate((string)tag.Value!, 1, (_, n) => n + 1);
        });
        listener.Start();

        var cad = await fixture.Node.TokenAsync("seoul-112", "cad-metrics", "dispatch-system");
        await fixture.Node.OpenIncidentAsync(cad, new { type = "112-dispatch", latitude = 37.5637, longitude = 126.9975 });
        await fixture.Node.OpenIncidentAsync(cad, new { type = "112-dispatch", latitude = 37.4837, longitude = 127.0324 });

        // Each opening records its last stage before it answers, so both are in by now.
        Assert.Equal(Stages.Order(), timed.Keys.Order());
        Assert.All(Stages, stage => Assert.True(timed[stage] >= 2, $"stage '{stage}' timed {timed[stage]} times"));
    }
}
