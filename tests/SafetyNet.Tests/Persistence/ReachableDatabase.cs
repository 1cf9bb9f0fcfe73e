using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Tests.Persistence;

/// <summary>A database the node never finds out of reach: for a store exercised alone, without the ledger that would tell.</summary>
internal sealed class ReachableDatabase : IDatabaseReachability
{
    public static readonly SafetyNetMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    public static readonly DatabaseOutageGuard Guard = new(new ReachableDatabase(), Metrics);

    public DateTimeOffset? DatabaseUnreachableSince => null;

    public Task OutageBegins { get; } = new TaskCompletionSource().Task;

    public TimeSpan ProbeAfter => Timeout.InfiniteTimeSpan;

    public void RequestProbe()
    {
    }
}
