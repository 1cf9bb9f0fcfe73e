using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit.Archive;

public sealed class LedgerArchiveGrain(LedgerArchiver archiver, IOptions<RetentionOptions> options, ILogger<LedgerArchiveGrain> logger)
    : Grain, ILedgerArchiveGrain, IRemindable
{
    private const string Reminder = "ledger-archive";

    /// <summary>Leaves a reminder of the right period alone, so that nodes restarting do not keep postponing the next check.</summary>
    public async Task ScheduleAsync()
    {
        var interval = options.Value.CheckInterval;
        if (await this.GetReminder(Reminder) is { Period: var period } && period == interval) return;
        await this.RegisterOrUpdateReminder(Reminder, interval, interval);
    }

    public Task<LedgerArchiveResult> ArchiveNowAsync() => archiver.ArchiveAsync();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != Reminder) return;
        try
        {
            await archiver.ArchiveAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Archiving the audit ledger failed; the next check retries");
        }
    }
}
