using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Misuse;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Misuse;

/// <summary>
/// The cluster's one rule runner: every <see cref="MisuseOptions.PollInterval"/> it judges the ledger entries after its
/// cursors (one per shard, since row ids may commit out of order across shards), in time order across shards, records
/// each flag in the ledger, stores it with the cursors past its entries (one transaction), and pushes it to the
/// auditors' dashboards. After a restart it re-reads the recent past without judging it and remembers the flags
/// already raised, so it neither rescans nor flags twice. Flag ids follow from the entries, so a crash between the ledger
/// and the store repeats the same flag, never a new one.
/// </summary>
public sealed class MisuseWatchGrain(
    AuditStore ledger,
    MisuseFlagStore store,
    IAuditLedger audit,
    CameraIndex cameras,
    IOptions<MisuseOptions> options,
    TimeProvider clock,
    ILogger<MisuseWatchGrain> logger) : Grain, IMisuseWatchGrain
{
    private const int Batch = 5000;
    private static readonly TimeSpan CursorSaveInterval = TimeSpan.FromSeconds(10);
    private MisuseOptions Options => options.Value;
    private MisusePlaces _places = null!;
    private MisuseDetector _detector = null!;
    private Dictionary<string, long> _cursors = [];
    private DateTimeOffset _cursorSavedAt = DateTimeOffset.MinValue;
    private readonly RecurringFailureLog _failures = new(logger, "Judging audit entries for misuse", clock);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _places = new MisusePlaces(cameras, GrainFactory);
        _detector = new MisuseDetector(Options, _places);
        _cursors = await store.ReadCursorsAsync();
        await WarmUpAsync();
        this.RegisterGrainTimer(RunAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Options.PollInterval) { KeepAlive = true });
    }

    public Task EnsureRunningAsync() => Task.CompletedTask;

    private async Task WarmUpAsync()
    {
        var since = clock.GetUtcNow() - Options.Lookback;
        var recent = new List<AuditRecord>();
        var query = new AuditQuery(null, null, null, null, since, null, 1, Batch);
        while (_cursors.Count > 0)
        {
            var page = await ledger.QueryAsync(query);
            recent.AddRange(page.Items.Where(r => r.Position <= _cursors.GetValueOrDefault(r.ShardId)));
            if (!page.HasMore) break;
            query = query with { BeforeSeq = page.Items[^1].Seq };
        }
        foreach (var record in Enumerable.Reverse(recent)) _detector.Remember(record);
        foreach (var flag in await store.ListAsync(new FlagQuery(null, From: since - Options.FlagCooldown, Limit: int.MaxValue))) _detector.Remember(flag);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var heads = await ledger.ReadHeadsAsync(cancellationToken);
            while (heads.Any(h => h.Seq > _cursors.GetValueOrDefault(h.Shard)))
            {
                // A batch from every shard that grew, judged in time order; each shard's cursor moves past its own part.
                var records = new List<AuditRecord>();
                var through = new Dictionary<string, long>(_cursors);
                foreach (var head in heads.Where(h => h.Seq > _cursors.GetValueOrDefault(h.Shard)))
                {
                    var cursor = _cursors.GetValueOrDefault(head.Shard);
                    through[head.Shard] = Math.Min(head.Seq, cursor + Batch);
                    await foreach (var record in ledger.ReadKindsAndRefusalsAsync(head.Shard, cursor, through[head.Shard], MisuseDetector.KindsJudged, cancellationToken))
                        records.Add(record);
                }
                await JudgeAsync([.. records.OrderBy(r => r.Entry.OccurredAt).ThenBy(r => r.Seq)], through);
            }
            var due = _detector.Tick(clock.GetUtcNow());
            if (due.Count > 0) await RaiseAsync(due, _cursors);
            _failures.Succeeded();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _failures.Failed(e, context: $" after {string.Join(", ", _cursors.Select(c => $"{c.Key}:{c.Value}"))}");
        }
    }

    private async Task JudgeAsync(List<AuditRecord> records, Dictionary<string, long> through)
    {
        await _places.LoadIncidentsAsync(records.Where(r => MisuseDetector.IsView(r.Entry)).Select(r => r.Entry.IncidentId).OfType<string>());
        var tooOld = clock.GetUtcNow() - Options.Lookback;
        var flags = new List<MisuseFlag>();
        foreach (var record in records)
        {
            // The first run over an old ledger learns its recent past; it does not flag what no rule looks back to.
            if (record.Entry.OccurredAt < tooOld) _detector.Remember(record);
            else flags.AddRange(_detector.Observe(record));
        }
        await RaiseAsync(flags, through);
    }

    private async Task RaiseAsync(IReadOnlyList<MisuseFlag> flags, Dictionary<string, long> through)
    {
        var now = clock.GetUtcNow();
        if (flags.Count > 0) await audit.AppendManyAsync(flags.Select(f => MisuseFlagRecords.Raised(f, now)).ToArray());
        // The cursor is written with every flag, and otherwise now and then: the database's one writer is the ledger's,
        // and a restart re-reads from the saved cursor without flagging twice.
        if (flags.Count > 0 || now - _cursorSavedAt >= CursorSaveInterval)
        {
            await store.SaveAsync(flags, through);
            _cursorSavedAt = now;
        }
        _cursors = through;
        if (flags.Count == 0) return;
        logger.LogWarning("Misuse flags raised: {Flags}", MisuseFlagRecords.LogSummary(flags));
        await GrainFactory.GetGrain<IEventPublisherGrain>(0).PublishAsync(flags.Select(f => MisuseFlagRecords.Event(DashboardEventNames.MisuseFlagRaised, f, now)).ToArray());
    }
}
