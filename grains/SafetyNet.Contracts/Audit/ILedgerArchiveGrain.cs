namespace SafetyNet.Contracts.Audit;

/// <summary>
/// The cluster's one ledger archiver (key: 0): a reminder wakes it every Retention:CheckInterval, and being a single
/// non-reentrant grain it never runs twice at once, whichever node hosts it.
/// </summary>
[Alias("ledger-archive")]
public interface ILedgerArchiveGrain : IGrainWithIntegerKey
{
    /// <summary>Registers (or re-times) the reminder; every node calls it at start-up.</summary>
    [Alias("schedule")]
    Task ScheduleAsync();

    /// <summary>Archives whatever is due now.</summary>
    [Alias("archive-now")]
    Task<LedgerArchiveResult> ArchiveNowAsync();
}
