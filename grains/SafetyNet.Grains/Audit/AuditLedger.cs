using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Group commit: callers queue entries and wait; one writer drains whatever has queued, writes it as one transaction and
/// releases every waiter. Batching costs a waiter at most one transaction of latency, and an acknowledged entry is durable.
/// Once the writer cannot reach the database at all, the ledger refuses at once instead of letting every audited request
/// wait out the timeouts (and tells grain storage, <see cref="IDatabaseReachability"/>), and reconnects, at once and then
/// every <see cref="AuditLedgerOptions.ReconnectInterval"/>, until it can write again.
/// </summary>
public sealed class AuditLedger(AuditWriter writer, CameraIndex cameras, SafetyNetMetrics metrics, TimeProvider clock,
    IOptions<AuditLedgerOptions> options, ILogger<AuditLedger> logger) : IAuditLedger, IDatabaseReachability, IHostedService
{
    private const int MaxBatch = 1000;
    private const string NotRecorded = "The audit ledger could not record this action, so it was not performed. Retry shortly; the node's log has the database's error.";
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly RecurringFailureLog _failures = new(logger, "Writing audit entries", clock,
        "the actions that produced them were refused");
    private readonly CancellationTokenSource _stopping = new();
    private Task _writer = Task.CompletedTask;
    private volatile Outage? _outage;
    private volatile TaskCompletionSource _nextOutage = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Queued to wake the writer for a probe (<see cref="RequestProbe"/>); never refused nor counted (its task is complete, so a refusal would change nothing).</summary>
    private static readonly Pending ProbeRequest = new(null!, Completed());
    private int _probeQueued;

    /// <summary>When the database stopped answering the writer, while it has not answered since; null while the ledger writes.</summary>
    public DateTimeOffset? DatabaseUnreachableSince => _outage?.Since;

    public Task OutageBegins => _nextOutage.Task;

    public TimeSpan ProbeAfter => options.Value.WriteTimeout;

    /// <summary>
    /// Has the writer ask the database whether it answers, between batches, unless one is already asked for or an outage
    /// is already known. A node whose other work waits on the database may have no audited action to find out with.
    /// </summary>
    public void RequestProbe()
    {
        if (_outage is null && Interlocked.Exchange(ref _probeQueued, 1) == 0) _queue.Writer.TryWrite(ProbeRequest);
    }

    public Task AppendAsync(AuditEntry entry)
    {
        if (_outage is { } outage) return Task.FromException(Refusal(outage));
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
        metrics.ObserveDatabaseOutage(() => _outage is { } outage ? (clock.GetUtcNow() - outage.Since).TotalSeconds : 0);
        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            var probe = false;
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
                if (ReferenceEquals(next, ProbeRequest)) probe = true;
                else batch.Add(next);
            if (probe) Volatile.Write(ref _probeQueued, 0);
            if (batch.Count == 0)
            {
                if (probe) await ProbeAsync(); // a batch answers it as well
                continue;
            }
            try
            {
                await WriteBatchAsync(batch.Select(p => p.Entry).ToList());
                metrics.AuditBatchWritten(batch.Count);
                foreach (var p in batch) p.Done.TrySetResult();
                _failures.Succeeded();
                await writer.CheckpointWhenDueAsync();
            }
            catch (LedgerDatabaseUnreachableException ex)
            {
                await OutageAsync(ex, batch, $" ({batch.Count} entries)");
            }
            catch (Exception ex)
            {
                _failures.Failed(ex, context: $" twice ({batch.Count} entries)");
                foreach (var p in batch) p.Done.TrySetException(DomainException.LedgerUnavailable(NotRecorded));
            }
            batch.Clear();
        }
    }

    /// <summary>
    /// The batch, or a refusal once it has waited out the writer's <see cref="AuditWriter.BatchDeadline"/> without its commit
    /// being sent: the writer then ends the attempt by itself, and the reconnect waits for that.
    /// </summary>
    private async Task WriteBatchAsync(List<AuditEntry> entries)
    {
        var write = writer.AppendBatchAsync(entries, CancellationToken.None);
        if (await EndsWithinDeadlineAsync(write) || !writer.TryAbandonBatch())
        {
            await write;
            return;
        }
        throw GivenUp(write, "this batch");
    }

    /// <summary>
    /// The writer's probe, given up like a batch at the writer's deadline: a statement cancelled on a silent server ends only
    /// after the driver's cancel request has waited out its own connect (20 s in all, measured), and a probe has nothing to
    /// commit that could make the wait worth it.
    /// </summary>
    private async Task ProbeAsync()
    {
        try
        {
            var probe = writer.ProbeAsync(_stopping.Token);
            if (!await EndsWithinDeadlineAsync(probe)) throw GivenUp(probe, "a probe");
            await probe;
        }
        catch (LedgerDatabaseUnreachableException ex)
        {
            await OutageAsync(ex, [], " (a probe: the node's other work waited on the database)");
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _failures.Failed(ex, context: " (a probe)"); // never out of the write loop, which would stop the ledger
        }
    }

    /// <summary>Whether <paramref name="operation"/> ended within the writer's <see cref="AuditWriter.BatchDeadline"/> (always on SQLite, which has none).</summary>
    private async Task<bool> EndsWithinDeadlineAsync(Task operation)
    {
        if (writer.BatchDeadline is not { } deadline || operation.IsCompleted) return true;
        using var timer = new CancellationTokenSource();
        if (await Task.WhenAny(operation, Task.Delay(deadline, clock, timer.Token)) != operation) return false;
        await timer.CancelAsync();
        return true;
    }

    /// <summary>The refusal for an attempt the ledger stopped waiting for; the writer ends the attempt by itself.</summary>
    private LedgerDatabaseUnreachableException GivenUp(Task attempt, string what)
    {
        attempt.ObserveFault();
        return new LedgerDatabaseUnreachableException(new TimeoutException($"The database did not answer {what} within {writer.BatchDeadline:g}."));
    }

    /// <summary>Refuses the batch and, until the writer connects again, every audited action and grain state operation.</summary>
    private async Task OutageAsync(LedgerDatabaseUnreachableException cause, List<Pending> batch, string what)
    {
        var outage = _outage = new Outage(clock.GetUtcNow());
        _nextOutage.TrySetResult();
        _failures.Failed(cause, context: $"{what} and the database cannot be reached; until it can, audited actions and grain state " +
                                         $"are refused at once and the writer reconnects, at once and then every {options.Value.ReconnectInterval:g}");
        foreach (var p in batch) p.Done.TrySetException(Refusal(outage));
        await ReconnectAsync(outage);
    }

    /// <summary>
    /// Until the writer connects again: each round first refuses what callers queued before they could see the outage, so
    /// none of them waits longer than a round. The first try is at once: a database that only stalled one commit past the
    /// write timeout (a lock, a slow disk) answers a new connection as soon as the stall ends, and should not cost the
    /// node a whole reconnect interval of refusals on top.
    /// </summary>
    private async Task ReconnectAsync(Outage outage)
    {
        for (var round = 0; ; round++)
        {
            while (_queue.Reader.TryRead(out var queued))
                if (!ReferenceEquals(queued, ProbeRequest)) queued.Done.TrySetException(Refusal(outage));
            try
            {
                if (round > 0) await Task.Delay(options.Value.ReconnectInterval, clock, _stopping.Token);
                await writer.ReconnectAsync(_stopping.Token);
                _nextOutage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // before the outage ends: see OutageBegins
                Volatile.Write(ref _probeQueued, 0); // a probe asked for just before the outage may have been refused above
                _outage = null;
                _failures.Succeeded();
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return; // the node stops: what is still queued is refused by the loop's next batch or was refused above
            }
            catch (Exception ex)
            {
                _failures.Failed(ex);
            }
        }
    }

    private DomainException Refusal(Outage outage)
    {
        metrics.DatabaseRefused(DatabaseRefusal.AuditedAction);
        return outage.Refusal();
    }

    private sealed record Pending(AuditEntry Entry, TaskCompletionSource Done);

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    private sealed record Outage(DateTimeOffset Since)
    {
        public DomainException Refusal() => DomainException.LedgerUnavailable(
            $"The audit ledger cannot reach its database (no answer since {Since:HH:mm:ss} UTC), so this action was not performed. Retry shortly.");
    }
}
