using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// The keys an audit query filters on (time, kind, outcome, camera, agency, session, incident, district, purpose) for the
/// SQLite ledger, in a companion file beside the database with its own indexes and its own write lock. Indexed in the
/// ledger itself, every key cost a scattered B-tree page in each commit of the node's one writer, most of the time an
/// audited decision waited for. Here they are filled behind the writer, many rows a transaction, up to a mark
/// (<c>through_seq</c>); a query reads the keys up to the mark and the ledger's rows after it, so its answers stay complete
/// however far behind the index is. The file is derived data: rebuilt from the ledger when it is missing, when it belongs
/// to another ledger (the row at the mark has another hash), or when its keys disagree with the ledger's rows.
/// </summary>
public sealed class AuditKeyIndex
{
    internal const string KeyColumns = "seq, occurred_at, kind, outcome, camera_id, agency_id, session_id, incident_id, district_code, purpose";

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS audit_keys
        (
            seq           INTEGER NOT NULL PRIMARY KEY,
            occurred_at   TEXT    NOT NULL,
            kind          TEXT    NOT NULL,
            outcome       TEXT    NULL,
            camera_id     TEXT    NULL,
            agency_id     TEXT    NULL,
            session_id    TEXT    NULL,
            incident_id   TEXT    NULL,
            district_code TEXT    NULL,
            purpose       TEXT    NULL
        );
        CREATE INDEX IF NOT EXISTS ix_audit_keys_camera   ON audit_keys (camera_id, seq);
        CREATE INDEX IF NOT EXISTS ix_audit_keys_agency   ON audit_keys (agency_id, seq);
        CREATE INDEX IF NOT EXISTS ix_audit_keys_session  ON audit_keys (session_id, seq);
        CREATE INDEX IF NOT EXISTS ix_audit_keys_incident ON audit_keys (incident_id, seq);
        CREATE INDEX IF NOT EXISTS ix_audit_keys_district ON audit_keys (district_code, seq);
        CREATE INDEX IF NOT EXISTS ix_audit_keys_agency_unplaced ON audit_keys (agency_id, seq) WHERE district_code IS NULL;
        CREATE INDEX IF NOT EXISTS ix_audit_keys_occurred ON audit_keys (occurred_at);
        CREATE INDEX IF NOT EXISTS ix_audit_keys_policy_change ON audit_keys (district_code, seq) WHERE kind = 'policy-change';
        CREATE INDEX IF NOT EXISTS ix_audit_keys_grant_history ON audit_keys (incident_id, seq) WHERE kind IN ('grant', 'revocation');
        CREATE INDEX IF NOT EXISTS ix_audit_keys_mask_change ON audit_keys (district_code, seq) WHERE kind = 'mask-change';
        CREATE TABLE IF NOT EXISTS audit_keys_mark
        (
            id           INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            through_seq  INTEGER NOT NULL,
            through_hash TEXT    NOT NULL
        );
        INSERT INTO audit_keys_mark (id, through_seq, through_hash) VALUES (1, 0, '') ON CONFLICT (id) DO NOTHING;
        """;

    /// <summary>Every key column equal (NULL equal to NULL) between a key row k and a ledger row l.</summary>
    private static readonly string SameKeys = string.Join(" AND ",
        KeyColumns.Split(", ").Select(column => $"k.{column} IS l.{column}"));

    private readonly string _ledgerPath;
    private readonly string _pooled;
    private readonly string _dedicated;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;
    private readonly SemaphoreSlim _indexerGate = new(1, 1);
    private SqliteConnection? _indexer;

    private AuditKeyIndex(string ledgerPath)
    {
        _ledgerPath = ledgerPath;
        FilePath = ledgerPath + ".audit-keys";
        _pooled = new SqliteConnectionStringBuilder { DataSource = FilePath, DefaultTimeout = 30, Pooling = true }.ToString();
        // The indexer's own connection attaches the ledger; a pooled handle would carry that attachment to its next user.
        _dedicated = new SqliteConnectionStringBuilder { DataSource = FilePath, DefaultTimeout = 30, Pooling = false }.ToString();
    }

    /// <summary>The companion file: the ledger's path with <c>.audit-keys</c> appended.</summary>
    public string FilePath { get; }

    /// <summary>The key index of <paramref name="database"/>, or null when the ledger keeps its own indexes (PostgreSQL, whose writers run in parallel).</summary>
    public static AuditKeyIndex? For(SafetyNetDatabase database) =>
        database.Provider == DatabaseProvider.Sqlite
            ? new AuditKeyIndex(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource)
            : null;

    /// <summary>A pooled connection to the index file for reading keys.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => await OpenAsync(_pooled, cancellationToken);

    /// <summary>Rows up to this seq have their keys in the file; later rows are read from the ledger.</summary>
    public static Task<long> ReadMarkAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        ScalarAsync(connection, "SELECT through_seq FROM audit_keys_mark WHERE id = 1", cancellationToken);

    /// <summary>
    /// Indexes up to <paramref name="maxRows"/> ledger rows after the mark and moves the mark; first starts over if the file
    /// belongs to another ledger, and drops keys of rows the ledger has archived. The rows are copied out of the ledger by
    /// one short statement into a temporary table, and indexed from there in a transaction of the index file alone, so the
    /// ledger's snapshot is held for milliseconds however long the indexing takes. Returns the rows indexed and how many
    /// rows after the new mark are still waiting.
    /// </summary>
    public Task<(int Indexed, long Waiting)> CatchUpAsync(int maxRows, CancellationToken cancellationToken = default) =>
        WithIndexerAsync(async connection =>
        {
            var (mark, markHash) = await ReadMarkRowAsync(connection, cancellationToken);
            if (!await MarkBelongsToLedgerAsync(connection, mark, markHash, cancellationToken))
            {
                await ForgetAsync(connection, cancellationToken);
                mark = 0;
            }
            await ExecuteAsync(connection, "DROP TABLE IF EXISTS temp.ledger_batch; " +
                $"CREATE TEMP TABLE ledger_batch AS SELECT {KeyColumns}, hash FROM ledger.audit_ledger WHERE seq > @mark ORDER BY seq LIMIT @rows",
                cancellationToken, ("@mark", mark), ("@rows", maxRows));
            int indexed;
            await using (var transaction = connection.BeginTransaction(deferred: true))
            {
                await ExecuteAsync(connection, "DELETE FROM audit_keys WHERE seq < COALESCE((SELECT MIN(seq) FROM ledger.audit_ledger), @mark + 1)",
                    cancellationToken, ("@mark", mark));
                indexed = await ExecuteAsync(connection, $"INSERT INTO audit_keys ({KeyColumns}) SELECT {KeyColumns} FROM temp.ledger_batch", cancellationToken);
                if (indexed > 0)
                    await ExecuteAsync(connection,
                        "UPDATE audit_keys_mark SET (through_seq, through_hash) = (SELECT seq, hash FROM temp.ledger_batch ORDER BY seq DESC LIMIT 1) WHERE id = 1",
                        cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            await ExecuteAsync(connection, "DROP TABLE temp.ledger_batch", cancellationToken);
            var waiting = await ScalarAsync(connection,
                "SELECT COUNT(*) FROM ledger.audit_ledger WHERE seq > (SELECT through_seq FROM audit_keys_mark WHERE id = 1)", cancellationToken);
            return (indexed, waiting);
        }, cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> seqs where the file and the ledger disagree up to the mark: keys that differ from their
    /// row's, keys of no row, and rows without keys. A full pass over both; what verification and start-up run.
    /// </summary>
    public Task<IReadOnlyList<long>> FindDisagreementsAsync(int limit, CancellationToken cancellationToken = default) =>
        WithIndexerAsync(connection => DisagreementsAsync(connection, 0, long.MaxValue, limit, cancellationToken), cancellationToken);

    /// <summary>
    /// <see cref="FindDisagreementsAsync"/> over one stretch: the <paramref name="rows"/> keys from seq <paramref name="from"/>
    /// on, and the ledger's rows between them. The last stretch runs to the end of the file, so keys past the mark are
    /// compared too. Returns what disagrees and where the next stretch starts (0 after the last: the next pass).
    /// </summary>
    public Task<(IReadOnlyList<long> Disagreeing, long NextFrom)> ScrubAsync(long from, int rows, int limit, CancellationToken cancellationToken = default) =>
        WithIndexerAsync(async connection =>
        {
            var end = await ScalarAsync(connection, "SELECT COALESCE((SELECT seq FROM audit_keys WHERE seq >= @from ORDER BY seq LIMIT 1 OFFSET @skip), -1)",
                cancellationToken, ("@from", from), ("@skip", rows - 1));
            var last = end < 0;
            var disagreeing = await DisagreementsAsync(connection, from, last ? long.MaxValue : end, limit, cancellationToken);
            return (disagreeing, last ? 0 : end + 1);
        }, cancellationToken);

    private static async Task<IReadOnlyList<long>> DisagreementsAsync(SqliteConnection connection, long from, long through, int limit,
        CancellationToken cancellationToken)
    {
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT k.seq FROM audit_keys k WHERE k.seq BETWEEN @from AND @through AND NOT EXISTS (SELECT 1 FROM ledger.audit_ledger l WHERE l.seq = k.seq AND {SameKeys}) " +
            "UNION " +
            "SELECT l.seq FROM ledger.audit_ledger l WHERE l.seq BETWEEN @from AND @through AND l.seq <= (SELECT through_seq FROM audit_keys_mark WHERE id = 1) " +
            "AND NOT EXISTS (SELECT 1 FROM audit_keys k WHERE k.seq = l.seq) " +
            "ORDER BY 1 LIMIT @limit";
        command.WithParameter("@from", from).WithParameter("@through", through).WithParameter("@limit", limit);
        var seqs = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) seqs.Add(reader.GetInt64(0));
        return seqs;
    }

    /// <summary>
    /// Rebuilds the file after a comparison (<paramref name="foundBy"/>) found keys that disagree with the ledger. The repair
    /// is recorded in the ledger first (<see cref="AuditKinds.SearchKeysRepaired"/>, naming the first rows), so that an
    /// auditor reads that the file was edited and the evidence is durable before the edit is undone; the keys are forgotten
    /// even if the ledger cannot take the record, and the next catch-ups fill the file again.
    /// </summary>
    public async Task RepairAsync(IReadOnlyList<long> disagreeing, string foundBy, IAuditLedger ledger, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        try
        {
            await ledger.AppendAsync(new AuditEntry(now, AuditKinds.SearchKeysRepaired, Actor: "audit-key-indexer",
                Reason: $"the search-key file disagreed with the ledger ({foundBy}) and was rebuilt from it",
                Details: JsonSerializer.Serialize(new { file = Path.GetFileName(FilePath), foundBy, firstRows = disagreeing })));
        }
        finally
        {
            await ForgetAllAsync(cancellationToken);
        }
    }

    /// <summary>Forgets every key, so the next catch-ups rebuild the file from the ledger.</summary>
    private Task ForgetAllAsync(CancellationToken cancellationToken) =>
        WithIndexerAsync(async connection =>
        {
            await ForgetAsync(connection, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Closes the indexer's connection (at shutdown); a later call opens a fresh one.</summary>
    public async Task CloseAsync()
    {
        await _indexerGate.WaitAsync();
        try
        {
            await DropIndexerAsync();
        }
        finally
        {
            _indexerGate.Release();
        }
    }

    private static async Task ForgetAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = connection.BeginTransaction(deferred: true);
        await ExecuteAsync(connection, "DELETE FROM audit_keys; UPDATE audit_keys_mark SET through_seq = 0, through_hash = '' WHERE id = 1", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the indexer's one long-lived connection: the index file with the ledger attached as
    /// <c>ledger</c>, and a page cache of <see cref="IndexerCacheKibibytes"/> that stays warm between rounds (random keys
    /// land on random index pages; with SQLite's default 2 MB and a connection per round, indexing ran at 9,000 rows/s).
    /// Its transactions must be deferred: an immediate one would take the write lock of every attached file, the ledger's
    /// included. A failure, or the file deleted under it, drops the connection and the next call opens a fresh one.
    /// </summary>
    private async Task<T> WithIndexerAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _indexerGate.WaitAsync(cancellationToken);
        try
        {
            if (_indexer is not null && !File.Exists(FilePath)) await DropIndexerAsync();
            _indexer ??= await OpenIndexerAsync(cancellationToken);
            return await work(_indexer);
        }
        catch
        {
            await DropIndexerAsync();
            throw;
        }
        finally
        {
            _indexerGate.Release();
        }
    }

    private const int IndexerCacheKibibytes = 128 * 1024;

    private async Task<SqliteConnection> OpenIndexerAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(_dedicated, cancellationToken);
        try
        {
            await ExecuteAsync(connection, $"PRAGMA cache_size = -{IndexerCacheKibibytes}; PRAGMA temp_store = MEMORY; ATTACH DATABASE @path AS ledger",
                cancellationToken, ("@path", _ledgerPath));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task DropIndexerAsync()
    {
        if (_indexer is not null) await _indexer.DisposeAsync();
        _indexer = null;
    }

    private async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteTunedConnection(connectionString);
        try
        {
            if (!File.Exists(FilePath)) _schemaReady = false;
            await connection.OpenAsync(cancellationToken);
            if (!_schemaReady) await EnsureSchemaAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await _schemaGate.WaitAsync(cancellationToken);
        try
        {
            if (_schemaReady) return;
            await SafetyNetDatabase.ExecuteAsync(connection, Schema, cancellationToken);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    private static async Task<(long Seq, string Hash)> ReadMarkRowAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT through_seq, through_hash FROM audit_keys_mark WHERE id = 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : (0, "");
    }

    /// <summary>
    /// The row at the mark has the hash the mark recorded, or it was archived (the ledger's rows and archived ranges reach
    /// past it). Anything else (another ledger's file, a ledger restored from an older copy) means the keys are not this
    /// ledger's.
    /// </summary>
    private static async Task<bool> MarkBelongsToLedgerAsync(DbConnection connection, long mark, string markHash, CancellationToken cancellationToken)
    {
        if (mark == 0) return true;
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT hash FROM ledger.audit_ledger WHERE seq = @mark";
        command.WithParameter("@mark", mark);
        if (await command.ExecuteScalarAsync(cancellationToken) is string hash) return hash == markHash;
        var reach = await ScalarAsync(connection,
            "SELECT COALESCE(MAX(s), 0) FROM (SELECT MAX(seq) AS s FROM ledger.audit_ledger UNION ALL SELECT MAX(last_seq) FROM ledger.audit_archive)",
            cancellationToken);
        var first = await ScalarAsync(connection, "SELECT COALESCE(MIN(seq), 0) FROM ledger.audit_ledger", cancellationToken);
        return mark <= reach && (first == 0 || mark < first);
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.WithParameter(name, value);
        return await command.ExecuteScalarAsync(cancellationToken) is long scalar ? scalar : 0;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.WithParameter(name, value);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
