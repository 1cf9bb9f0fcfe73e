using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Off the commit path, on a timer: when this node's shard has grown, signs a checkpoint over the head its writer chained in
/// memory (<see cref="AuditWriter.Written"/>), which also links the latest signed heads of the other shards (each taken from
/// its own node's newest authentic checkpoint), writes it to the witness file (flushed to disk) and then to the database.
/// What is signed is what the node wrote, not what the database says it wrote: an insider who rewrites rows between two
/// checkpoints, every later hash and the head row recomputed, is named by verify against the next one. Only the rows the
/// writer did not chain itself (those of an earlier run of the node after its last checkpoint) are re-read and checked
/// against the last checkpoint, at most once per writer connection. The links make every node's checkpoints vouch for the
/// others' shards too, so a shard cut or deleted together with its node's checkpoints is still named by verify. Rows of the
/// legacy shard (from before shards) that no checkpoint of this chain covered yet are checked once in the same way.
/// </summary>
public sealed class AuditCheckpointer(
    AuditStore ledger,
    AuditWriter writer,
    CheckpointStore store,
    CheckpointWitness witness,
    CheckpointKeys keys,
    LedgerShard shard,
    IOptions<AuditCheckpointOptions> options,
    TimeProvider clock,
    ILogger<AuditCheckpointer> logger,
    WriterHeadNote? note = null) : BackgroundService
{
    private readonly RecurringFailureLog _failures = new(logger, "Signing an audit checkpoint", clock);
    private readonly Queue<AuditCheckpoint> _unsaved = new();
    private AuditCheckpoint? _tip;
    private Dictionary<string, ShardHead> _vouched = [];
    /// <summary>The writer's <see cref="WrittenRange.Base"/> that the last checkpoint of this chain has been found to lead to.</summary>
    private ShardHead? _linkedBase;
    private string? _lastComplaint;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _tip = shard.Tip;
        _vouched = (_tip?.Heads() ?? []).ToDictionary(h => h.Shard);
        if (_tip is not null) _unsaved.Enqueue(_tip); // its database copy may have been lost in a crash between the two writes
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, clock);
        try
        {
            do
            {
                try
                {
                    await CheckpointOnceAsync(stoppingToken);
                    _failures.Succeeded();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    _failures.Failed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // A node that stops cleanly leaves nothing outside a checkpoint.
        try { await CheckpointOnceAsync(CancellationToken.None); }
        catch (Exception e) { logger.LogWarning(e, "The final audit checkpoint at shutdown failed"); }
    }

    /// <summary>Signs one checkpoint if a head it vouches for moved since the last one; nothing when nothing new (or nothing sound) is there to sign.</summary>
    private async Task CheckpointOnceAsync(CancellationToken cancellationToken)
    {
        await SaveUnsavedAsync(cancellationToken);
        var own = await OwnHeadAsync(cancellationToken);
        if (own is null) return;
        note?.Checked(); // the own head is only found once the rows lead through every head an earlier run noted
        var heads = new Dictionary<string, ShardHead>(_vouched) { [shard.Id] = own };
        if (shard.Id != AuditRecord.LegacyShard && await CheckedHeadAsync(AuditRecord.LegacyShard, cancellationToken) is { Seq: > 0 } legacy)
            heads[legacy.Shard] = legacy;
        foreach (var other in await store.ReadLatestAsync(cancellationToken))
        {
            if (other.Chain == shard.Id || !keys.Ring.Trusts(other.KeyId) || !keys.Ring.IsAuthentic(other)) continue;
            var linked = other.Heads().First();
            if (linked.Shard == shard.Id) continue;
            if (!heads.TryGetValue(linked.Shard, out var known) || linked.Seq > known.Seq) heads[linked.Shard] = linked;
        }
        if (heads.Values.All(h => _vouched.TryGetValue(h.Shard, out var v) ? v == h : h.Seq == 0)) return;

        var links = heads.Values.Where(h => h.Shard != shard.Id).OrderBy(h => h.Shard, StringComparer.Ordinal).ToList();
        var checkpoint = keys.Signer.Next(shard.Id, _tip, own, links, clock.GetUtcNow());
        witness.Append(checkpoint);
        _tip = checkpoint;
        _vouched = heads;
        _lastComplaint = null;
        _unsaved.Enqueue(checkpoint);
        await SaveUnsavedAsync(cancellationToken);
    }

    /// <summary>
    /// The head of this node's own shard: the last row its writer committed, once the rows before the writer's first (those
    /// it read back as its head) are found to follow from this chain's last checkpoint. Null when they do not; a database
    /// head row that disagrees with the writer is logged as suspected tampering, and the writer's head is still signed, so
    /// that verify names the rows that differ.
    /// </summary>
    private async Task<ShardHead?> OwnHeadAsync(CancellationToken cancellationToken)
    {
        var written = writer.Written;
        if (HeadMoved(written) is { } move)
        {
            Complain($"Shard {shard.Id}'s head moved from row {move.LeftAt.Seq}, where this node's writer had left it, to row {move.Found.Seq} while the writer reconnected: rows it did not write were added, or rows removed. No checkpoint is signed, in this run or after a restart, until the ledger has been looked into and the writer's head note ({note?.FilePath ?? "audit-witness.head"}) removed. Run GET /api/v1/audit/verify.");
            return null;
        }
        if (written is null) return await CheckedHeadAsync(shard.Id, cancellationToken);
        if (!ReferenceEquals(written.Base, _linkedBase))
        {
            var from = Vouched(shard.Id);
            var to = from.Seq <= written.Base.Seq ? written.Base : written.Head;
            if (from.Seq > to.Seq) return await CheckedHeadAsync(shard.Id, cancellationToken);
            if (!await FollowsAsync(shard.Id, from, to, cancellationToken)) return null;
            _linkedBase = written.Base;
        }
        var stored = await ledger.ReadHeadAsync(shard.Id, cancellationToken);
        if (stored is null || stored.Seq < written.Head.Seq || (stored.Seq == written.Head.Seq && stored.Hash != written.Head.Hash))
            Complain($"Shard {shard.Id}'s head row in the database ({stored?.Seq ?? 0}) disagrees with row {written.Head.Seq} that this node wrote last; the checkpoint vouches for what it wrote. Run GET /api/v1/audit/verify.");
        return written.Head;
    }

    /// <summary>
    /// The head of a shard as the database has it, after checking its rows since the head this chain last vouched for; null
    /// when they do not follow from it (the problem is logged as suspected tampering).
    /// </summary>
    private async Task<ShardHead?> CheckedHeadAsync(string name, CancellationToken cancellationToken)
    {
        var head = await ledger.ReadHeadAsync(name, cancellationToken) ?? new ShardHead(name, 0, AuditChain.Genesis(name));
        var from = Vouched(name);
        if (head.Seq < from.Seq)
        {
            Complain($"Shard {name}'s head is at row {head.Seq}, behind this node's last checkpoint at row {from.Seq}: rows were removed. No checkpoint is signed over them. Run GET /api/v1/audit/verify."
                     + (name == shard.Id ? " If the database was restored from a backup, keep the witness file as evidence, move it aside and restart the node: it goes on in a new shard." : ""));
            return null;
        }
        if (head.Seq == from.Seq) return BeyondNoted(name, head) ? null : from;
        return await FollowsAsync(name, from, head, cancellationToken) ? head : null;
    }

    /// <summary>
    /// Whether the stored rows of a shard lead, link by link and with their content, from <paramref name="from"/> to exactly
    /// <paramref name="to"/>, through every head an earlier run of this node noted on its way (<see cref="WriterHeadNote"/>).
    /// </summary>
    private async Task<bool> FollowsAsync(string name, ShardHead from, ShardHead to, CancellationToken cancellationToken)
    {
        if (BeyondNoted(name, to)) return false;
        var noted = Noted(name).Where(h => h.Seq > from.Seq).ToDictionary(h => h.Seq, h => h.Hash);
        var (expectedSeq, expectedPrevious) = (from.Seq + 1, from.Hash);
        var archived = (await ledger.ReadArchiveHorizonAsync(cancellationToken)).Seq;
        await foreach (var record in ledger.ReadShardAsync(name, from.Seq, to.Seq, cancellationToken))
        {
            // Rows archived since (or before this chain began) are checked by verify against their signed archive files.
            if (record.Position > expectedSeq && archived > 0 && expectedSeq == from.Seq + 1)
                (expectedSeq, expectedPrevious) = (record.Position, record.PrevHash);
            if (record.Position != expectedSeq || record.PrevHash != expectedPrevious || !AuditChain.Matches(record.PrevHash, record.Position, record.Entry, record.Hash))
            {
                Complain($"Row {expectedSeq} of shard {name} does not follow from this node's last checkpoint (row {from.Seq}); no checkpoint is signed over it. Run GET /api/v1/audit/verify.");
                return false;
            }
            if (noted.TryGetValue(record.Position, out var notedHash) && record.Hash != notedHash)
            {
                Complain($"Rows {from.Seq + 1}–{record.Position} of shard {name}, written by this node after its last checkpoint before it stopped uncleanly, were rewritten while it was down: row {record.Position} no longer has the hash the writer noted outside the database. No checkpoint is signed over them. Run GET /api/v1/audit/verify (it counts them as not checkpointed) and restore the ledger from a backup.");
                return false;
            }
            expectedPrevious = record.Hash;
            expectedSeq++;
        }
        if (expectedSeq - 1 != to.Seq || expectedPrevious != to.Hash)
        {
            Complain($"Shard {name}'s rows after this node's last checkpoint (row {from.Seq}) end at {expectedSeq - 1} or differ from its head at row {to.Seq}; no checkpoint is signed.");
            return false;
        }
        return true;
    }

    /// <summary>Where the head moved under this node's writer, in this run or (noted) an earlier one.</summary>
    private HeadMove? HeadMoved(WrittenRange? written) =>
        note?.Move is { } noted && noted.LeftAt.Shard == shard.Id ? noted
        : written?.LeftAt is { } leftAt ? new HeadMove(leftAt, written.Base)
        : null;

    private IEnumerable<ShardHead> Noted(string name) => note?.Unchecked.Where(h => h.Shard == name && name == shard.Id) ?? [];

    /// <summary>Whether an earlier run of this node noted a head past <paramref name="head"/>: rows it wrote were removed (logged).</summary>
    private bool BeyondNoted(string name, ShardHead head)
    {
        if (Noted(name).LastOrDefault(h => h.Seq > head.Seq) is not { } noted) return false;
        Complain($"Shard {name} ends at row {head.Seq}, but this node's writer noted row {noted.Seq} as written before it stopped uncleanly: rows were removed while it was down, or the database was restored from an older backup (or, on SQLite, the machine crashed before its last commits reached the disk). No checkpoint is signed. Run GET /api/v1/audit/verify.");
        return true;
    }

    private ShardHead Vouched(string name) => _vouched.GetValueOrDefault(name) ?? new ShardHead(name, 0, AuditChain.Genesis(name));

    private async Task SaveUnsavedAsync(CancellationToken cancellationToken)
    {
        while (_unsaved.TryPeek(out var next))
        {
            await store.SaveAsync(next, cancellationToken);
            _unsaved.Dequeue();
        }
    }

    private void Complain(string problem)
    {
        if (problem == _lastComplaint) return;
        _lastComplaint = problem;
        logger.LogCritical("Audit ledger tampering suspected: {Problem}", problem);
    }
}
