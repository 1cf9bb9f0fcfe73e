using System.Collections.Concurrent;
using System.Reflection;
using Orleans.Concurrency;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Silo.Hosting;

/// <summary>
/// A read-only grain call refused or lost because its silo is leaving (a node stopping in a rolling restart answers "Silo
/// stopping"; one that went away before it answered, or died, is <see cref="SiloUnavailableException"/>) is sent again, up
/// to three times over about a second: long enough for the leaving node to hand its grains back, so that the call reaches
/// the grain's next activation on a node that is staying. Without it an operator asking at the moment a node leaves gets a
/// 503 for a call any other node could answer. Only methods marked <see cref="ReadOnlyAttribute"/>: they change no grain,
/// so sending one again is safe whether or not it reached the grain (an access decision sent again is audited again: both
/// were made). Others may have taken effect, and their caller is told. A silo that is itself stopping sends nothing again:
/// its callers on the staying nodes do. Orleans' other refusals of a message (rare: an overloaded silo when load shedding
/// is on, a message it cannot deliver) get the same three tries before their caller is told.
/// </summary>
public sealed class LeftSiloReadRetry(ISiloStatusOracle membership, SafetyNetMetrics metrics, TimeProvider clock, ILogger<LeftSiloReadRetry> logger)
    : IOutgoingGrainCallFilter
{
    private static readonly TimeSpan[] Pauses = [TimeSpan.Zero, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)];
    private static readonly ConcurrentDictionary<MethodInfo, bool> ReadOnlyMethods = new();

    /// <summary>Calls that may not be sent again pass straight through; the others are awaited here only when they do not end at once.</summary>
    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (!IsReadOnly(context.InterfaceMethod)) return context.Invoke();
        var call = context.Invoke();
        return call.IsCompletedSuccessfully ? call : SendAgainWhenRefusedAsync(context, call);
    }

    private async Task SendAgainWhenRefusedAsync(IOutgoingGrainCallContext context, Task call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await call;
                if (attempt > 0) metrics.GrainCallResent(answered: true);
                return;
            }
            // The call pipeline throws a call's failure; SiloUnavailableException is one of Orleans' rejections.
            catch (OrleansMessageRejectionException left)
            {
                if (attempt == Pauses.Length || membership.CurrentStatus != SiloStatus.Active)
                {
                    if (attempt > 0) metrics.GrainCallResent(answered: false);
                    throw;
                }
                logger.LogDebug("Sending {Interface}.{Method} to {Grain} again (attempt {Attempt}): {Reason}", context.InterfaceName,
                    context.MethodName, context.TargetId, attempt + 2, left.Message);
                await Task.Delay(Pauses[attempt], clock);
                call = context.Invoke();
            }
        }
    }

    /// <summary>Whether the interface method is marked read-only; a call that names no method (some of Orleans' own) is not.</summary>
    public static bool IsReadOnly(MethodInfo? method) =>
        method is not null && ReadOnlyMethods.GetOrAdd(method, m => m.GetCustomAttribute<ReadOnlyAttribute>() is not null);
}
