using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Off the commit path, on a timer: when this node's shard has grown, re-checks its rows since the last checkpoint
/// (links and content, starting from the hash that checkpoint vouched for), then signs a checkpoint over the shard's new
/// head that also links the latest signed heads of the other shards (each taken from its own node's newest authentic
/// checkpoint), writes it to the witness file (flushed to disk) and then to the database. The work is O(own rows); the
/// links make every node's checkpoints vouch for the others' shards too, so a shard cut or deleted together with its
/// node's checkpoints is still named by verify. Rows of the legacy shard (from before shards) that no checkpoint of this
/// chain covered yet are checked once in the same way.
/// </summary>
public sealed class AuditCheckpointer(
    AuditStore ledger,
    CheckpointStore store,
    CheckpointWitness witness,
    CheckpointKeys keys,
    LedgerShard shard,
    IOptions<AuditCheckpointOptions> options,
    TimeProvider clock,
    ILogger<AuditCheckpointer> logger) : BackgroundService
{
    private readonly Queue<AuditCheckpoint> _unsaved = new();
    private AuditCheckpoint? _tip;
    private Dictionary<string, ShardHead> _vouched = [];
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
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(e, "Signing an audit checkpoint failed; the next tick retries");
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
        var own = await CheckedHeadAsync(shard.Id, cancellationToken);
        if (own is null) return;
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
    /// The head of a shard this node checks itself, after checking its rows since the head this chain last vouched for;
    /// null when they do not follow from it (the problem is logged as suspected tampering).
    /// </summary>
    private async Task<ShardHead?> CheckedHeadAsync(string name, CancellationToken cancellationToken)
    {
        var head = await ledger.ReadHeadAsync(name, cancellationToken) ?? new ShardHead(name, 0, AuditChain.Genesis(name));
        var from = _vouched.GetValueOrDefault(name) ?? new ShardHead(name, 0, AuditChain.Genesis(name));
        if (head.Seq < from.Seq)
        {
            Complain($"Shard {name}'s head is at row {head.Seq}, behind this node's last checkpoint at row {from.Seq}: rows were removed. No checkpoint is signed until verify has been run and the ledger restored.");
            return null;
        }
        if (head.Seq == from.Seq) return from;

        var (expectedSeq, expectedPrevious) = (from.Seq + 1, from.Hash);
        var archived = (await ledger.ReadArchiveHorizonAsync(cancellationToken)).Seq;
        await foreach (var record in ledger.ReadShardAsync(name, from.Seq, head.Seq, cancellationToken))
        {
            // Rows archived since (or before this chain began) are checked by verify against their signed archive files.
            if (record.Position > expectedSeq && archived > 0 && expectedSeq == from.Seq + 1)
                (expectedSeq, expectedPrevious) = (record.Position, record.PrevHash);
            if (record.Position != expectedSeq || record.PrevHash != expectedPrevious || !AuditChain.Matches(record.PrevHash, record.Position, record.Entry, record.Hash))
            {
                Complain($"Row {expectedSeq} of shard {name} does not follow from this node's last checkpoint (row {from.Seq}); no checkpoint is signed over it. Run GET /api/v1/audit/verify.");
                return null;
            }
            expectedPrevious = record.Hash;
            expectedSeq++;
        }
        if (expectedSeq - 1 != head.Seq || expectedPrevious != head.Hash)
        {
            Complain($"Shard {name}'s head names row {head.Seq} but its rows end at {expectedSeq - 1} or differ from it; no checkpoint is signed.");
            return null;
        }
        return head;
    }

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
