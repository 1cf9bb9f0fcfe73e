using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit.Archive;

/// <summary>Makes sure, on every node's start, that the cluster's ledger archiver has its reminder.</summary>
public sealed class LedgerArchiveSchedule(IGrainFactory grains, ILogger<LedgerArchiveSchedule> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LedgerArchiveSchedule), ServiceLifecycleStage.Active, ScheduleAsync);

    private async Task ScheduleAsync(CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<ILedgerArchiveGrain>(0).ScheduleAsync();
        }
        catch (Exception e)
        {
            // Another node may already have scheduled it; a node that cannot still serves, and says so.
            logger.LogError(e, "Scheduling the audit ledger archiver failed; archiving waits until a node schedules it");
        }
    }
}
