using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Keeps the SQLite ledger's key index (<see cref="AuditKeyIndex"/>) close behind the writer: every half second it indexes
/// what the ledger gained, in transactions of up to <see cref="RowsPerTransaction"/> rows, so a long rebuild shows progress
/// and resumes where it stopped. At start it compares the whole file with the ledger and rebuilds it on any disagreement:
/// keys edited in the file could otherwise hide rows from audit searches. While running it compares one stretch of the file
/// every <see cref="AuditSearchKeyOptions.ScrubInterval"/>, round and round, so an edit made while the node runs is found
/// within one pass. Every rebuild is recorded in the ledger itself (<see cref="AuditKinds.SearchKeysRepaired"/>), so the
/// auditor reads that the file was edited, not only the on-call engineer's log. Under a surge the index falls behind and
/// searches read a longer tail from the ledger; they stay complete, and the index catches up when the surge passes.
/// </summary>
public sealed class AuditKeyIndexer(AuditKeyIndex index, IAuditLedger ledger, IOptions<AuditSearchKeyOptions> options, TimeProvider clock,
    ILogger<AuditKeyIndexer> logger)
    : BackgroundService
{
    public const int RowsPerTransaction = 20_000;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private const long ReportWhenWaiting = 100_000;
    private const int NamedDisagreements = 10;
    private readonly RecurringFailureLog _failures = new(logger, "Indexing or comparing the audit ledger's keys", clock);
    private long _scrubFrom;
    private DateTimeOffset _nextScrub;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RebuildIfDisagreesAsync(stoppingToken);
            _nextScrub = clock.GetUtcNow() + options.Value.ScrubInterval;
            using var timer = new PeriodicTimer(Interval, clock);
            do
            {
                try
                {
                    await CatchUpAsync(stoppingToken);
                    if (clock.GetUtcNow() >= _nextScrub) await ScrubAsync(stoppingToken);
                    _failures.Succeeded();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    _failures.Failed(ex, LogLevel.Warning, " (searches read the unindexed rows from the ledger meanwhile)");
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await index.CloseAsync();
    }

    private async Task RebuildIfDisagreesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RebuildIfAnyAsync(await index.FindDisagreementsAsync(NamedDisagreements, cancellationToken), "comparison at start", cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Comparing the audit key index with the ledger failed; it is compared again at the next start");
        }
    }

    /// <summary>The next stretch; a failed comparison is retried at the next interval, from the same place.</summary>
    private async Task ScrubAsync(CancellationToken cancellationToken)
    {
        _nextScrub = clock.GetUtcNow() + options.Value.ScrubInterval;
        var (disagreeing, next) = await index.ScrubAsync(_scrubFrom, options.Value.ScrubRows, NamedDisagreements, cancellationToken);
        _scrubFrom = disagreeing.Count > 0 ? 0 : next;
        await RebuildIfAnyAsync(disagreeing, "scrub while running", cancellationToken);
    }

    private async Task RebuildIfAnyAsync(IReadOnlyList<long> disagreeing, string foundBy, CancellationToken cancellationToken)
    {
        if (disagreeing.Count == 0) return;
        logger.LogError("The audit key index {File} disagrees with the ledger (first rows: {Seqs}); it is rebuilt from the ledger",
            index.FilePath, string.Join(", ", disagreeing));
        await index.RepairAsync(disagreeing, foundBy, ledger, clock.GetUtcNow(), cancellationToken);
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (indexed, waiting) = await index.CatchUpAsync(RowsPerTransaction, cancellationToken);
            if (waiting >= ReportWhenWaiting) logger.LogInformation("Indexing the audit ledger's keys: {Waiting:N0} rows to go", waiting);
            if (indexed < RowsPerTransaction || waiting == 0) return;
        }
    }
}
