using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Group commit: callers queue entries and wait; one writer drains whatever has queued, writes it as one transaction and
/// releases every waiter. Batching costs a waiter at most one transaction of latency, and an acknowledged entry is durable.
/// </summary>
public sealed class AuditLedger(AuditWriter writer, CameraIndex cameras, SafetyNetMetrics metrics, TimeProvider clock, ILogger<AuditLedger> logger)
    : IAuditLedger, IHostedService
{
    private const int MaxBatch = 1000;
    private const string NotRecorded = "The audit ledger could not record this action, so it was not performed. Retry shortly; the node's log has the database's error.";
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly RecurringFailureLog _failures = new(logger, "Writing audit entries", clock,
        "the actions that produced them are refused, and the next batch tries again");
    private Task _writer = Task.CompletedTask;

    public Task AppendAsync(AuditEntry entry)
    {
        if (entry is { DistrictCode: null, CameraId: { } cameraId } && cameras.Current.Find(cameraId) is { } camera)
            entry = entry with { DistrictCode = camera.DistrictCode };
        var pending = new Pending(entry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("The audit ledger is shut down; the action cannot be recorded and was not performed.");
        return pending.Done.Task;
    }

    public Task AppendManyAsync(IReadOnlyCollection<AuditEntry> entries) => Task.WhenAll(entries.Select(AppendAsync));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
            try
            {
                await writer.AppendBatchAsync(batch.Select(p => p.Entry).ToList(), CancellationToken.None);
                metrics.AuditBatchWritten(batch.Count);
                foreach (var p in batch) p.Done.TrySetResult();
                _failures.Succeeded();
                await writer.CheckpointWhenDueAsync();
            }
            catch (Exception ex)
            {
                _failures.Failed(ex, context: $" twice ({batch.Count} entries)");
                foreach (var p in batch) p.Done.TrySetException(DomainException.LedgerUnavailable(NotRecorded));
            }
            batch.Clear();
        }
    }

    private sealed record Pending(AuditEntry Entry, TaskCompletionSource Done);
}
