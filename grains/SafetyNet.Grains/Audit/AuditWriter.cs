using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Appends batches to this node's shard of the ledger over one long-lived connection. The shard's head lives in memory
/// (read once per connection from audit_shard_head, which no other node writes), rows go in as prepared multi-row
/// INSERTs of up to <see cref="RowsPerStatement"/> rows, the batch's last statement also advances the head row, and one
/// commit makes the batch durable. On SQLite the writer's commits never checkpoint the write-ahead log (that fsync would
/// stall every waiter); <see cref="CheckpointWhenDueAsync"/> folds it in between batches instead.
/// </summary>
public sealed class AuditWriter(SafetyNetDatabase database, LedgerShard shard, ILogger<AuditWriter> logger, TimeProvider? clock = null,
    long? tailCopyAboveBytes = null, WriterHeadNote? note = null, IOptions<AuditLedgerOptions>? options = null) : IAsyncDisposable
{
    private const int MaxRowsPerStatement = 64;
    private const int ColumnsPerRow = 16;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);
    private const long RestartLogAboveBytes = 256L * 1024 * 1024;

    /// <summary>
    /// The writer's own copy stalls the next batch for the copy and an fsync of the database, so it runs only once the log
    /// has outgrown what every connection cuts it back to (journal_size_limit): a writer that pauses lets the background
    /// copy finish the log by itself, and only a continuous one needs the help.
    /// </summary>
    private readonly long _tailCopyAboveBytes = tailCopyAboveBytes ?? 64L * 1024 * 1024;

    /// <summary>
    /// Copies the whole log holding the write lock, so no other connection's commit slips in behind the copy, and waits up
    /// to 50 ms for readers of older pages to finish; the next commit then starts the log over. Without that wait a steady
    /// stream of grain-state commits and reads can keep the log growing past what the passive copies free. SQLite's own
    /// 50 ms handler stands in for the connection's lock wait during the copy (<see cref="RestartLogAsync"/>).
    /// </summary>
    private const string RestartLog = "PRAGMA busy_timeout = 50; PRAGMA wal_checkpoint(RESTART);";

    private readonly SemaphoreSlim _gate = new(1, 1);
    /// <summary>Prepared INSERTs by row count: [rows, 0] inserts only, [rows, 1] also moves the head (the batch's last statement).</summary>
    private readonly DbCommand?[,] _inserts = new DbCommand?[MaxRowsPerStatement + 1, 2];
    private DbConnection? _connection;
    private long _lastRowId;
    private Task _checkpoint = Task.CompletedTask;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly TimeSpan _writeTimeout = (options?.Value ?? new AuditLedgerOptions()).WriteTimeout;
    private DateTimeOffset? _lastCheckpoint;
    private volatile bool _bulkCopied;
    private volatile WrittenRange? _written;
    /// <summary>The head the batch being committed leads to: if its commit's outcome is lost, the database may hold it.</summary>
    private ShardHead? _attempted;
    /// <summary>Where the batch in progress is: <see cref="Writing"/> until its commit is sent, or given up before that.</summary>
    private int _batchPhase;
    private const int Writing = 0, Committing = 1, Abandoned = 2;

    private bool IsSqlite => database.Provider == DatabaseProvider.Sqlite;

    /// <summary>
    /// What this writer chained itself since it last read a head it had not left there itself (at its first connection, or
    /// after a batch whose commit may have gone through); null until its first batch. The checkpointer signs its
    /// <see cref="WrittenRange.Head"/> rather than what the database says.
    /// </summary>
    public WrittenRange? Written => _written;

    /// <summary>
    /// PostgreSQL saves a round trip per row folded into one statement. SQLite has no round trip, and binds a parameter by a
    /// linear search of the statement's names, so a 64-row statement (1,088 names) costs quadratic time: one row at a time.
    /// </summary>
    private int RowsPerStatement => IsSqlite ? 1 : MaxRowsPerStatement;

    /// <summary>
    /// Numbers, chains and inserts a batch in one transaction; it is durable when this returns. A failed attempt leaves the
    /// in-memory head untouched and drops the connection; the writer then reconnects once and reads the head back. If that
    /// is the head the batch leads to, its commit went through after all (its answer was lost); otherwise it is written once
    /// more on the new connection. So a dropped connection or a database failover between two batches costs the callers a
    /// reconnection, not their actions; only a second failure reaches them. The writer's connection never comes from the
    /// pool, so the new one is live; the pool is cleared too, since its connections are most likely dead as well.
    /// When not even the new connection can be made, this throws <see cref="LedgerDatabaseUnreachableException"/>, and
    /// <see cref="ReconnectAsync"/> is the way back.
    /// </summary>
    public async Task AppendBatchAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Volatile.Write(ref _batchPhase, Writing);
            var earlierAttempt = _attempted;
            try
            {
                await WithDeadlineAsync(attempt => WriteAsync(entries, attempt), cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Its callers were told it was not recorded: it is not tried again.
                if (Volatile.Read(ref _batchPhase) == Abandoned) throw new LedgerDatabaseUnreachableException(e);
                // One line: if the second try fails too, the ledger logs that failure in full (once per outage).
                logger.LogWarning("Writing {Count} audit entries failed ({Reason}); reconnecting to the database and trying once more", entries.Count, e.GetBaseException().Message);
                database.ClearPool(); // for the node's other work: a dropped connection usually means they all were
                try
                {
                    await WithDeadlineAsync(ConnectAsync, cancellationToken);
                }
                catch (Exception unreachable) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new LedgerDatabaseUnreachableException(unreachable);
                }
                // A new _attempted means this batch got as far as its inserts; the head read back says whether they committed.
                if (!ReferenceEquals(_attempted, earlierAttempt) && _written!.Head == _attempted) note?.Record(_attempted);
                else await WithDeadlineAsync(attempt => WriteAsync(entries, attempt), cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One attempt at a batch, the gate held; a failure drops the connection.</summary>
    private async Task WriteAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        try
        {
            var connection = _connection ?? await ConnectAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var written = _written!;
            var hashes = Chain(written.Head, entries);
            var attempted = _attempted = new ShardHead(shard.Id, written.Head.Seq + entries.Count, entries.Count == 0 ? written.Head.Hash : hashes[^1]);
            var (seq, hash, rowId) = (written.Head.Seq, written.Head.Hash, _lastRowId);
            for (var start = 0; start < entries.Count; start += RowsPerStatement)
            {
                var count = Math.Min(RowsPerStatement, entries.Count - start);
                var last = start + count == entries.Count;
                var insert = _inserts[count, last ? 1 : 0] ??= await PrepareInsertAsync(connection, count, last, cancellationToken);
                insert.Transaction = transaction;
                var parameters = insert.Parameters;
                var p = 0;
                for (var i = start; i < start + count; i++)
                {
                    var entry = entries[i];
                    seq++;
                    var next = hashes[i];
                    if (IsSqlite) parameters[p++].Value = ++rowId;
                    parameters[p++].Value = AuditChain.Timestamp(entry.OccurredAt);
                    parameters[p++].Value = entry.Kind;
                    parameters[p++].Value = (object?)entry.Outcome ?? DBNull.Value;
                    parameters[p++].Value = (object?)entry.Reason ?? DBNull.Value;
                    parameters[p++].Value = (object?)entry.CameraId ?? DBNull.Value;
                    parameters[p++].Value = (object?)entry.AgencyId ?? DBNull.Value;
                    parameters[p++].Value = (object?)entry.SessionId ?? DBNull.Value;
                    parameters[p++].Value = (object?)entry.IncidentId ?? DBNull.Value;
                    parameters[p++].Value = (object?)entry.Actor ?? DBNull.Value;
                    parameters[p++].Value = (object?)entry.Details ?? DBNull.Value;
                    parameters[p++].Value = hash;
                    parameters[p++].Value = next;
                    parameters[p++].Value = (object?)entry.DistrictCode ?? DBNull.Value;
                    parameters[p++].Value = (object?)entry.Purpose ?? DBNull.Value;
                    parameters[p++].Value = (object?)entry.Justification ?? DBNull.Value;
                    parameters[p++].Value = seq;
                    hash = next;
                }
                if (last)
                {
                    parameters[p++].Value = seq;
                    parameters[p].Value = hash;
                }
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            if (Interlocked.CompareExchange(ref _batchPhase, Committing, Writing) == Abandoned)
                throw new TimeoutException("The batch was given up before its commit was sent.");
            await transaction.CommitAsync(cancellationToken);
            _lastRowId = rowId;
            _written = written with { Head = attempted };
            note?.Record(attempted);
        }
        catch
        {
            // The connection may be broken (database restarted, failover), or the commit's outcome unknown: the next batch
            // starts on a fresh connection from the head the database holds.
            await DisconnectAsync();
            throw;
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

    /// <summary>
    /// How long the ledger lets a batch's callers wait before it gives the batch up (<see cref="TryAbandonBatch"/>): the
    /// write timeout on PostgreSQL; none on SQLite, whose batches wait on local locks only.
    /// </summary>
    public TimeSpan? BatchDeadline => IsSqlite ? null : _writeTimeout;

    /// <summary>
    /// Gives up the batch in progress if its commit has not been sent, so its callers can be refused now instead of when
    /// the driver has ended the hung attempt (after its own cancel request, which a silent server does not answer either,
    /// times out). A batch given up this way is never committed and not tried again. False once its commit was sent: its
    /// outcome is unknown until the writer has read the head back, so it must be waited for.
    /// </summary>
    public bool TryAbandonBatch() => Interlocked.CompareExchange(ref _batchPhase, Abandoned, Writing) == Writing;

    /// <summary>
    /// Connects afresh after the database was unreachable; throws while it still is. A batch whose commit was sent before the
    /// connection was lost may have gone through: the head read back says so, and is noted as this writer's.
    /// </summary>
    public async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await ReconnectHoldingGateAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Whether the database answers a statement on the writer's connection within the write timeout, for a node that has
    /// nothing to write but other work waiting on the database. A connection that fails it is replaced once, as for a
    /// batch; when not even that works, this throws <see cref="LedgerDatabaseUnreachableException"/>.
    /// </summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            try
            {
                await WithDeadlineAsync(async attempt =>
                {
                    try
                    {
                        await SafetyNetDatabase.ExecuteAsync(_connection ?? await ConnectAsync(attempt), "SELECT 1", attempt);
                    }
                    catch
                    {
                        await DisconnectAsync();
                        throw;
                    }
                }, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("The audit writer's database did not answer a probe ({Reason}); reconnecting", e.GetBaseException().Message);
                try
                {
                    await ReconnectHoldingGateAsync(cancellationToken);
                }
                catch (Exception unreachable) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new LedgerDatabaseUnreachableException(unreachable);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ReconnectHoldingGateAsync(CancellationToken cancellationToken)
    {
        var unconfirmed = _attempted;
        await DisconnectAsync();
        await WithDeadlineAsync(ConnectAsync, cancellationToken);
        if (unconfirmed is not null && _written!.Head == unconfirmed) note?.Record(unconfirmed);
    }

    /// <summary>
    /// On PostgreSQL an attempt (a batch, or a connection with its head read) ends after the write timeout as a whole: the
    /// driver's own timeout applies to each read, so a silent server would hold a batch (begin, insert, head update) for
    /// several of them. SQLite waits on its own locks.
    /// </summary>
    private async Task WithDeadlineAsync(Func<CancellationToken, Task> attempt, CancellationToken cancellationToken)
    {
        if (IsSqlite)
        {
            await attempt(cancellationToken);
            return;
        }
        using var deadline = new CancellationTokenSource(_writeTimeout, _clock);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await attempt(bounded.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The database did not answer within {_writeTimeout:g}.");
        }
    }

    private async Task<DbConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenFreshAsync(_writeTimeout, cancellationToken);
        try
        {
            if (IsSqlite) await SafetyNetDatabase.ExecuteAsync(connection, "PRAGMA wal_autocheckpoint = 0;", cancellationToken);
            await using (var claim = connection.CreateCommand())
            {
                claim.CommandText = "INSERT INTO audit_shard_head (shard, last_seq, last_hash) VALUES (@shard, 0, @genesis) ON CONFLICT (shard) DO NOTHING";
                claim.WithParameter("@shard", shard.Id).WithParameter("@genesis", AuditChain.Genesis(shard.Id));
                await claim.ExecuteNonQueryAsync(cancellationToken);
            }
            var head = (await AuditStore.ReadHeadsAsync(connection, null, shard.Id, cancellationToken)).Single();
            if (IsSqlite) _lastRowId = await LastRowIdAsync(connection, cancellationToken);
            _written = Resumed(_written, head);
            if (_written.LeftAt is { } leftAt) note?.Moved(new HeadMove(leftAt, _written.Base));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        _connection = connection;
        return connection;
    }

    /// <summary>Each entry's hash, chained on from <paramref name="head"/>.</summary>
    private static string[] Chain(ShardHead head, IReadOnlyList<AuditEntry> entries)
    {
        var hashes = new string[entries.Count];
        var previous = head.Hash;
        for (var i = 0; i < entries.Count; i++) hashes[i] = previous = AuditChain.Hash(previous, head.Seq + 1 + i, entries[i]);
        return hashes;
    }

    /// <summary>
    /// What this writer may still call its own after reading <paramref name="head"/> from the database: all it chained when
    /// the head is where it left it, or where the batch whose outcome was lost led; otherwise rows it did not write were
    /// added to its shard meanwhile, and the new range says where it had left off.
    /// </summary>
    private WrittenRange Resumed(WrittenRange? previous, ShardHead head)
    {
        if (previous is null) return new WrittenRange(head, head);
        if (previous.Head == head) return previous;
        if (head == _attempted) return previous with { Head = head };
        return new WrittenRange(head, head, LeftAt: previous.Head);
    }

    /// <summary>SQLite's row ids come from its one writer: past every row, every archived range and the legacy head.</summary>
    private static async Task<long> LastRowIdAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(s) FROM (SELECT MAX(seq) AS s FROM audit_ledger UNION ALL SELECT MAX(last_seq) FROM audit_archive " +
                              "UNION ALL SELECT last_seq FROM audit_chain_head)";
        return await command.ExecuteScalarAsync(cancellationToken) is long last ? last : 0;
    }

    /// <summary>
    /// INSERT of <paramref name="rows"/> rows, followed by the head's update when <paramref name="movesHead"/>, with typed
    /// parameters so PostgreSQL can prepare it. On SQLite (a row per statement) the head row is written once per batch, not
    /// once per row.
    /// </summary>
    private async Task<DbCommand> PrepareInsertAsync(DbConnection connection, int rows, bool movesHead, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        var sql = new StringBuilder("INSERT INTO audit_ledger (").Append(IsSqlite ? "seq, " : "")
            .Append("occurred_at, kind, outcome, reason, camera_id, agency_id, session_id, incident_id, actor, details, prev_hash, hash, ")
            .Append("district_code, purpose, justification, shard_seq, shard) VALUES ");
        void Add(string name, DbType type)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = type;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            if (IsSqlite)
            {
                sql.Append(CultureInfo.InvariantCulture, $"@r{row}, ");
                Add($"@r{row}", DbType.Int64);
            }
            for (var column = 0; column < ColumnsPerRow; column++)
            {
                var name = $"@p{row}_{column}";
                sql.Append(column == 0 && !IsSqlite ? $"CAST({name} AS timestamptz)" : name).Append(", ");
                Add(name, column == ColumnsPerRow - 1 ? DbType.Int64 : DbType.String);
            }
            sql.Append("@shard)");
        }
        if (movesHead)
        {
            sql.Append("; UPDATE audit_shard_head SET last_seq = @head_seq, last_hash = @head_hash WHERE shard = @shard");
            Add("@head_seq", DbType.Int64);
            Add("@head_hash", DbType.String);
        }
        command.CommandText = sql.ToString();
        var shardParameter = command.CreateParameter();
        shardParameter.ParameterName = "@shard";
        shardParameter.DbType = DbType.String;
        shardParameter.Value = shard.Id;
        command.Parameters.Add(shardParameter);
        if (!IsSqlite) await command.PrepareAsync(cancellationToken);
        return command;
    }

    private async Task DisconnectAsync()
    {
        foreach (var command in _inserts)
            if (command is not null) await command.DisposeAsync();
        Array.Clear(_inserts);
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
    }

    /// <summary>
    /// Called between batches, after their callers are answered; SQLite only. About once a second a passive checkpoint on
    /// another connection copies the bulk of the write-ahead log into the database without stopping the writer. When it has
    /// finished, the writer copies the few pages appended meanwhile itself, between two batches, so the log is fully copied
    /// while nothing appends and the next commit starts it over. A continuous writer otherwise always leaves a last page
    /// uncopied, and the log grows without end (about 60 MB/s at 20,000 decisions/s). The writer helps only once the log is
    /// past 64 MB; a log past 256 MB is copied and restarted under the write lock
    /// (<see cref="RestartLog"/>).
    /// </summary>
    public async Task CheckpointWhenDueAsync()
    {
        if (!IsSqlite || !_checkpoint.IsCompleted) return;
        await _gate.WaitAsync();
        try
        {
            if (_bulkCopied && _connection is not null)
            {
                _bulkCopied = false;
                var log = WriteAheadLogBytes();
                if (log > _tailCopyAboveBytes)
                {
                    if (log > RestartLogAboveBytes) await RestartLogAsync(_connection);
                    else await SafetyNetDatabase.ExecuteAsync(_connection, "PRAGMA wal_checkpoint(PASSIVE);");
                }
            }
            else if (_clock.GetUtcNow() - (_lastCheckpoint ??= _clock.GetUtcNow()) >= CheckpointInterval)
            {
                _lastCheckpoint = _clock.GetUtcNow();
                _checkpoint = CopyBulkAsync();
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Checkpointing the audit ledger's write-ahead log failed; the next one retries");
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task RestartLogAsync(DbConnection connection)
    {
        try
        {
            await SafetyNetDatabase.ExecuteAsync(connection, RestartLog);
        }
        finally
        {
            SqliteLockWait.Install(((SqliteConnection)connection).Handle!);
        }
    }

    private long WriteAheadLogBytes()
    {
        var log = new FileInfo(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource + "-wal");
        return log.Exists ? log.Length : 0;
    }

    private async Task CopyBulkAsync()
    {
        await Task.Yield();
        try
        {
            await using var connection = await database.OpenAsync();
            await SafetyNetDatabase.ExecuteAsync(connection, "PRAGMA wal_checkpoint(PASSIVE);");
            _bulkCopied = true;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Checkpointing the audit ledger's write-ahead log failed; the next one retries");
        }
    }
}
