using System.Diagnostics.Metrics;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Bench.Decisions;

/// <summary>Listens to the ledger's own "entries per transaction" histogram, to show how well group commit is batching.</summary>
public sealed class AuditBatchSizes : IDisposable
{
    private const string InstrumentName = "safetynet.audit.batch.size";
    private readonly MeterListener _listener = new();
    private long _transactions;
    private long _entries;

    public AuditBatchSizes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SafetyNetMetrics.MeterName && instrument.Name == InstrumentName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, size, _, _) =>
        {
            Interlocked.Increment(ref _transactions);
            Interlocked.Add(ref _entries, size);
        });
        _listener.Start();
    }

    /// <summary>Mean entries per ledger transaction since the last call (or since listening began).</summary>
    public double TakeMean()
    {
        var transactions = Interlocked.Exchange(ref _transactions, 0);
        var entries = Interlocked.Exchange(ref _entries, 0);
        return transactions == 0 ? 0 : (double)entries / transactions;
    }

    public void Dispose() => _listener.Dispose();
}
