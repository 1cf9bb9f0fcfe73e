using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Bench.Cost;

/// <summary>
/// Everything the node does that costs, counted through public hooks only: SQL commands by kind and rows written by
/// table (<see cref="DatabaseMetrics"/>), grain calls by interface (Orleans' application activities, server side),
/// Orleans' storage meters, the ledger's entries-per-commit histogram, and this process's CPU time.
/// </summary>
public sealed class CostCounters : IDisposable
{
    private const string AuditBatchInstrument = "safetynet.audit.batch.size";
    private const string OrleansApplicationSource = "Microsoft.Orleans.Application";
    private readonly ConcurrentDictionary<string, long> _counts = new();
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _activities;

    public CostCounters()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DatabaseMetrics.MeterName
                || (instrument.Meter.Name == SafetyNetMetrics.MeterName && instrument.Name == AuditBatchInstrument)
                || (instrument.Meter.Name == "Microsoft.Orleans" && instrument.Name.StartsWith("orleans-storage", StringComparison.Ordinal)))
                listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnMeasurement(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, _, _, _) => Add($"orleans storage: {instrument.Name}", 1));
        _meters.SetMeasurementEventCallback<int>((instrument, _, _, _) => Add($"orleans storage: {instrument.Name}", 1));
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OrleansApplicationSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.Kind != ActivityKind.Server) return;
                var service = activity.GetTagItem("rpc.service") as string ?? activity.DisplayName.Split('/')[0];
                Add($"grain call: {service[(service.LastIndexOf('.') + 1)..]}", 1);
            },
        };
        ActivitySource.AddActivityListener(_activities);
    }

    /// <summary>All counts so far, plus "cpu µs" (this process: the node and the bench's HTTP client).</summary>
    public Dictionary<string, long> Snapshot()
    {
        var snapshot = new Dictionary<string, long>(_counts) { ["cpu µs"] = (long)Environment.CpuUsage.TotalTime.TotalMicroseconds };
        return snapshot;
    }

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instrument.Name == AuditBatchInstrument)
        {
            Add("audit: commits", 1);
            Add("audit: entries", value);
            return;
        }
        if (instrument.Meter.Name != DatabaseMetrics.MeterName)
        {
            Add($"orleans storage: {instrument.Name}", 1);
            return;
        }
        string Tag(string key, ReadOnlySpan<KeyValuePair<string, object?>> all)
        {
            foreach (var tag in all) if (tag.Key == key) return tag.Value as string ?? "";
            return "";
        }
        if (instrument.Name == DatabaseMetrics.RowsWrittenName)
        {
            Add("rows written: total", value);
            Add($"rows written: {Tag("table", tags)}", value);
            return;
        }
        if (instrument.Name == DatabaseMetrics.LockWaitsName)
        {
            Add("db lock waits", value);
            return;
        }
        Add("db commands: total", value);
        Add($"db commands: {CommandKind.Of(Tag("statement", tags), Tag("grain_type", tags))}", value);
    }

    private void Add(string key, long value) => _counts.AddOrUpdate(key, value, (_, n) => n + value);

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }
}
