using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit.Archive;

public sealed class LedgerArchiveGrain(LedgerArchiver archiver, IOptions<RetentionOptions> options, ILogger<LedgerArchiveGrain> logger)
    : Grain, ILedgerArchiveGrain, IRemindable
{
    private const string Reminder = "ledger-archive";
    private static readonly TimeSpan FirstCheck = TimeSpan.FromMinutes(1);

    /// <summary>The first check comes soon after a node starts, so that restarting nodes never keep postponing it by a whole interval.</summary>
    public async Task ScheduleAsync()
    {
        var interval = options.Value.CheckInterval;
        await this.RegisterOrUpdateReminder(Reminder, interval < FirstCheck ? interval : FirstCheck, interval);
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
