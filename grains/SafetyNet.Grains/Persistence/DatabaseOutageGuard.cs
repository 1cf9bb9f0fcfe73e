using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Grains.Persistence;

/// <summary>
/// Runs a database operation unless the node knows its database cannot be reached, and gives it up when the node learns so
/// while it waits. Without this an operation started during a silent outage waits out the driver's connect and command
/// timeouts (15–30 s) before it fails anyway, holding the operator's request, and the grain turn it runs in, all that time.
/// An operation given up may still reach the database later, as one the driver's timeout gave up on may: its caller was
/// told it failed.
/// </summary>
public sealed class DatabaseOutageGuard(IDatabaseReachability reachability, SafetyNetMetrics metrics)
{
    public Task Run(Func<Task> operation) =>
        reachability.DatabaseUnreachableSince is { } since ? Task.FromException(Refused(since)) : UntilOutage(operation());

    public Task<T> Run<T>(Func<Task<T>> operation)
    {
        if (reachability.DatabaseUnreachableSince is { } since) return Task.FromException<T>(Refused(since));
        var running = operation();
        return running.IsCompleted ? running : ResultAsync();

        async Task<T> ResultAsync()
        {
            await UntilOutage(running);
            return await running;
        }
    }

    /// <summary>
    /// The operation, or the refusal if an outage begins first (the operation's own outcome is then only observed). One
    /// that waits longer than <see cref="IDatabaseReachability.ProbeAfter"/> has the node check the database: on a node with
    /// no audited action under way, nothing else would find out.
    /// </summary>
    private Task UntilOutage(Task operation)
    {
        if (operation.IsCompleted) return operation;
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
                await operation;
                return;
            }
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
