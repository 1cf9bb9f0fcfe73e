using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Grains.Persistence;

/// <summary>
/// Runs a database operation unless the node knows its database cannot be reached, and gives it up when the node learns so
/// while it waits. Without this an operation started during a silent outage waits out the driver's connect and command
/// timeouts (15–30 s) before it fails anyway, holding the operator's request, and the grain turn it runs in, all that time.
/// An operation given up is cancelled through the token it was given: it must pass that token to every database call, so
/// that a transaction whose caller was told it failed is never committed once the database answers again (a grant issued
/// for an incident that failed to open would otherwise hold until its absolute expiry). A single statement already sent may
/// still be applied when the database resumes, as one the driver's own timeout gave up on may.
/// </summary>
public sealed class DatabaseOutageGuard(IDatabaseReachability reachability, SafetyNetMetrics metrics)
{
    public Task Run(Func<CancellationToken, Task> operation, CancellationToken cancellationToken = default)
    {
        if (reachability.DatabaseUnreachableSince is { } since) return Task.FromException(Refused(since));
        var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return UntilOutage(operation(abandon.Token), abandon);
    }

    public Task<T> Run<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken = default)
    {
        if (reachability.DatabaseUnreachableSince is { } since) return Task.FromException<T>(Refused(since));
        var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = operation(abandon.Token);
        var guarded = UntilOutage(running, abandon);
        return guarded == running ? running : ResultAsync();

        async Task<T> ResultAsync()
        {
            await guarded;
            return await running;
        }
    }

    /// <summary>
    /// The operation, or the refusal if an outage begins first (the operation is then cancelled, and its own outcome only
    /// observed). One that waits longer than <see cref="IDatabaseReachability.ProbeAfter"/> has the node check the database:
    /// on a node with no audited action under way, nothing else would find out.
    /// </summary>
    private Task UntilOutage(Task operation, CancellationTokenSource abandon)
    {
        if (operation.IsCompleted)
        {
            abandon.Dispose();
            return operation;
        }
        var outage = reachability.OutageBegins;
        return WaitAsync();

        async Task WaitAsync()
        {
            using var patience = new CancellationTokenSource();
            var probeDue = Task.Delay(reachability.ProbeAfter, patience.Token);
            var first = await Task.WhenAny(operation, outage, probeDue);
            if (first == probeDue)
            {
                reachability.RequestProbe();
                first = await Task.WhenAny(operation, outage);
            }
            else await patience.CancelAsync();
            if (first == operation)
            {
                abandon.Dispose();
                await operation;
                return;
            }
            await abandon.CancelAsync();
            _ = operation.ContinueWith(_ => abandon.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            operation.ObserveFault();
            throw Refused(reachability.DatabaseUnreachableSince ?? DateTimeOffset.UtcNow);
        }
    }

    private DomainException Refused(DateTimeOffset since)
    {
        metrics.DatabaseRefused(DatabaseRefusal.DatabaseOperation);
        return DomainException.DatabaseUnreachable(
            $"This node cannot reach its database (no answer since {since:HH:mm:ss} UTC), so this request, which needs it, was not performed. Retry shortly.");
    }
}
