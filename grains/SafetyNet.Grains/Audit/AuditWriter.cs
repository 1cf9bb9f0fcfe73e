using System.Data.Common;
using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Appends batches to the hash-chained ledger over one long-lived connection with one prepared insert, so a batch costs
/// its rows and a commit, not a connection open and a statement compile. On SQLite the writer's commits never checkpoint
/// the write-ahead log (that fsync would stall every waiter); a background checkpoint folds it in instead.
/// </summary>
public sealed class AuditWriter(SafetyNetDatabase database, ILogger<AuditWriter> logger) : IAsyncDisposable
{
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private DbConnection? _connection;
    private DbCommand? _readHead;
    private DbCommand? _insert;
    private DbCommand? _writeHead;
    private Task _checkpoint = Task.CompletedTask;
    private DateTime _lastCheckpoint = DateTime.UtcNow;

    private bool IsSqlite => database.Provider == DatabaseProvider.Sqlite;

    /// <summary>Numbers, chains and inserts a batch in one transaction holding the chain head, so concurrent nodes never fork the chain.</summary>
    public async Task AppendBatchAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = _connection ?? await ConnectAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            _readHead!.Transaction = _insert!.Transaction = _writeHead!.Transaction = transaction;
            long seq;
            string hash;
            await using (var reader = await _readHead.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken)) throw new InvalidOperationException("audit_chain_head has no row; the schema was not applied.");
                seq = reader.GetInt64(0);
                hash = reader.GetString(1);
            }
            foreach (var entry in entries)
            {
                seq++;
                var next = AuditChain.Hash(hash, seq, entry);
                object?[] values = [seq, AuditChain.Timestamp(entry.OccurredAt), entry.Kind, entry.Outcome, entry.Reason, entry.CameraId,
                    entry.AgencyId, entry.SessionId, entry.IncidentId, entry.Actor, entry.Details, hash, next, entry.DistrictCode, entry.Purpose, entry.Justification];
                for (var i = 0; i < values.Length; i++) _insert.Parameters[i].Value = values[i] ?? DBNull.Value;
                await _insert.ExecuteNonQueryAsync(cancellationToken);
                hash = next;
            }
            _writeHead.Parameters[0].Value = seq;
            _writeHead.Parameters[1].Value = hash;
            await _writeHead.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (IsSqlite) CheckpointNowAndThen();
        }
        catch
        {
            // The connection may be broken (database restarted, failover): the next batch starts on a fresh one.
            await DisconnectAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await DisconnectAsync();
            await _checkpoint;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<DbConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        if (IsSqlite) await SafetyNetDatabase.ExecuteAsync(connection, "PRAGMA wal_autocheckpoint = 0;", cancellationToken);
        _readHead = connection.CreateCommand();
        _readHead.CommandText = "SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1" + (IsSqlite ? "" : " FOR UPDATE");
        _insert = connection.CreateCommand();
        var occurredAt = IsSqlite ? "@occurred_at" : "CAST(@occurred_at AS timestamptz)";
        _insert.CommandText = $"INSERT INTO audit_ledger ({AuditStore.Columns}) VALUES (@seq, {occurredAt}, @kind, @outcome, @reason, @camera_id, @agency_id, @session_id, @incident_id, @actor, @details, @prev_hash, @hash, @district_code, @purpose, @justification)";
        foreach (var name in new[] { "@seq", "@occurred_at", "@kind", "@outcome", "@reason", "@camera_id", "@agency_id", "@session_id", "@incident_id", "@actor", "@details", "@prev_hash", "@hash", "@district_code", "@purpose", "@justification" })
            _insert.WithParameter(name, DBNull.Value);
        _writeHead = connection.CreateCommand();
        _writeHead.CommandText = "UPDATE audit_chain_head SET last_seq = @seq, last_hash = @hash WHERE id = 1";
        _writeHead.WithParameter("@seq", 0L).WithParameter("@hash", "");
        _connection = connection;
        return connection;
    }

    private async Task DisconnectAsync()
    {
        foreach (var command in new[] { _readHead, _insert, _writeHead })
            if (command is not null) await command.DisposeAsync();
        if (_connection is not null) await _connection.DisposeAsync();
        (_connection, _readHead, _insert, _writeHead) = (null, null, null, null);
    }

    /// <summary>Under the gate: a passive checkpoint on another connection, at most one at a time, about once a second.</summary>
    private void CheckpointNowAndThen()
    {
        if (!_checkpoint.IsCompleted || DateTime.UtcNow - _lastCheckpoint < CheckpointInterval) return;
        _lastCheckpoint = DateTime.UtcNow;
        _checkpoint = Task.Run(async () =>
        {
            try
            {
                await using var connection = await database.OpenAsync();
                await SafetyNetDatabase.ExecuteAsync(connection, "PRAGMA wal_checkpoint(PASSIVE);");
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Checkpointing the audit ledger's write-ahead log failed; the next one retries");
            }
        });
    }
}
