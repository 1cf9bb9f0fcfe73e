using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Off the commit path, on a timer: when the ledger has grown, re-checks the rows since this node's last checkpoint
/// (links and content, starting from the hash that checkpoint vouched for), then signs a checkpoint for the new end,
/// writes it to the witness file (flushed to disk) and then to the database. Every node runs its own chain of
/// checkpoints over the one cluster-wide ledger, so each node can vouch for all of it on its own.
/// </summary>
public sealed class AuditCheckpointer(
    AuditStore ledger,
    CheckpointStore store,
    CheckpointWitness witness,
    CheckpointKeys keys,
    IOptions<AuditCheckpointOptions> options,
    TimeProvider clock,
    ILogger<AuditCheckpointer> logger) : BackgroundService
{
    private readonly Queue<AuditCheckpoint> _unsaved = new();
    private AuditCheckpoint? _tip;
    private string _chain = "";
    private string? _lastComplaint;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ResumeFromWitness();
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

    /// <summary>Signs one checkpoint if the ledger grew since the last one; or nothing when there is nothing new (or nothing sound) to sign.</summary>
    private async Task<AuditCheckpoint?> CheckpointOnceAsync(CancellationToken cancellationToken = default)
    {
        await SaveUnsavedAsync(cancellationToken);
        if (await ledger.ReadHeadAsync(cancellationToken) is not { } head) return null;
        var fromSeq = _tip?.Seq ?? 0;
        if (head.Seq < fromSeq)
        {
            Complain($"The audit ledger's head is at row {head.Seq}, behind this node's last checkpoint at row {fromSeq}: rows were removed. No checkpoint is signed until verify has been run and the ledger restored.");
            return null;
        }
        if (head.Seq == fromSeq) return null;

        var expectedPrevious = _tip?.EntryHash ?? AuditChain.GenesisHash;
        // A node that starts its chain after rows were archived (or was away while they were) continues from the horizon.
        if (await ledger.ReadArchiveHorizonAsync(cancellationToken) is var (horizon, horizonHash) && horizon > fromSeq)
            (fromSeq, expectedPrevious) = (horizon, horizonHash);
        var expectedSeq = fromSeq + 1;
        await foreach (var record in ledger.ReadChainAsync(fromSeq, head.Seq, cancellationToken))
        {
            if (record.Seq != expectedSeq || record.PrevHash != expectedPrevious || AuditChain.Hash(record.PrevHash, record.Seq, record.Entry) != record.Hash)
            {
                Complain($"Audit row {expectedSeq} does not follow from this node's last checkpoint (row {fromSeq}); no checkpoint is signed over it. Run GET /api/v1/audit/verify.");
                return null;
            }
            expectedPrevious = record.Hash;
            expectedSeq++;
        }
        if (expectedSeq - 1 != head.Seq)
        {
            Complain($"The audit ledger's head names row {head.Seq} but the rows end at {expectedSeq - 1}; no checkpoint is signed.");
            return null;
        }

        var checkpoint = keys.Signer.Next(_chain, _tip, head.Seq, expectedPrevious, clock.GetUtcNow());
        witness.Append(checkpoint);
        _tip = checkpoint;
        _lastComplaint = null;
        _unsaved.Enqueue(checkpoint);
        await SaveUnsavedAsync(cancellationToken);
        return checkpoint;
    }

    /// <summary>The witness, not the database, says where this node's chain stands; a node without one starts a new chain.</summary>
    private void ResumeFromWitness()
    {
        // Newest first, so that normally one signature is checked, however long the witness has grown.
        var own = witness.Read().Checkpoints
            .Where(c => c.KeyId == keys.Signer.PublicKey.KeyId)
            .OrderByDescending(c => (c.SignedAt, c.Number))
            .FirstOrDefault(keys.Ring.IsAuthentic);
        _tip = own;
        _chain = own?.Chain ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        if (own is not null) _unsaved.Enqueue(own); // its database copy may have been lost in a crash between the two writes
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
