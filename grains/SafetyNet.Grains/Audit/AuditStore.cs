using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit.Archive;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Audit;

/// <summary>Reads of the append-only, hash-chained audit ledger on SQLite or PostgreSQL (appends go through <see cref="AuditWriter"/>).</summary>
public sealed class AuditStore(SafetyNetDatabase database)
{
    internal const string Columns = "seq, occurred_at, kind, outcome, reason, camera_id, agency_id, session_id, incident_id, actor, details, prev_hash, hash, district_code, purpose, justification, shard, shard_seq";

    /// <summary>A row's position in its shard (legacy rows have none stored: theirs is seq); ux_audit_ledger_shard indexes it.</summary>
    private const string Position = "COALESCE(shard_seq, seq)";

    private bool IsSqlite => database.Provider == DatabaseProvider.Sqlite;

    /// <summary>Where the SQLite ledger's lookup keys are indexed; null on PostgreSQL, whose ledger indexes its own.</summary>
    public AuditKeyIndex? KeyIndex { get; } = AuditKeyIndex.For(database);

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var filter = AuditQueryFilter.For(query, IsSqlite);
        var skip = (long)(query.Page - 1) * query.PageSize;
        var records = KeyIndex is null
            ? await QueryLedgerAsync(filter, skip, query.PageSize + 1, cancellationToken)
            : await QueryThroughKeysAsync(KeyIndex, filter, skip, query.PageSize + 1, cancellationToken);
        var hasMore = records.Count > query.PageSize;
        return new AuditPage(hasMore ? records[..query.PageSize] : records, query.Page, query.PageSize, hasMore);
    }

    /// <summary>The district's newest policy edit in the ledger, or null when it has none.</summary>
    public async Task<AuditRecord?> NewestPolicyChangeAsync(string districtCode, CancellationToken cancellationToken = default)
    {
        var filter = AuditQueryFilter.EditsOf(AuditKinds.PolicyChange, districtCode);
        var records = KeyIndex is null
            ? await QueryLedgerAsync(filter, 0, 1, cancellationToken)
            : await QueryThroughKeysAsync(KeyIndex, filter, 0, 1, cancellationToken);
        return records.FirstOrDefault();
    }

    /// <summary>Every issue and end of the incident's grant to the agency in the district, newest first (<see cref="AuditQueryFilter.GrantHistoryOf"/>).</summary>
    public Task<List<AuditRecord>> GrantHistoryAsync(string incidentId, string agencyId, string districtCode, CancellationToken cancellationToken = default) =>
        AllMatchingAsync(AuditQueryFilter.GrantHistoryOf(incidentId, agencyId, districtCode), cancellationToken);

    /// <summary>Every mask edit on the district's cameras, newest first (<see cref="AuditQueryFilter.EditsOf"/>).</summary>
    public Task<List<AuditRecord>> MaskChangesAsync(string districtCode, CancellationToken cancellationToken = default) =>
        AllMatchingAsync(AuditQueryFilter.EditsOf(AuditKinds.MaskChange, districtCode), cancellationToken);

    /// <summary>Every row the filter matches, newest first, a page at a time: for filters whose partial index holds few rows.</summary>
    private async Task<List<AuditRecord>> AllMatchingAsync(AuditQueryFilter filter, CancellationToken cancellationToken)
    {
        var rows = new List<AuditRecord>();
        List<AuditRecord> page;
        do
        {
            page = KeyIndex is null
                ? await QueryLedgerAsync(filter, rows.Count, AllMatchingPage, cancellationToken)
                : await QueryThroughKeysAsync(KeyIndex, filter, rows.Count, AllMatchingPage, cancellationToken);
            rows.AddRange(page);
        } while (page.Count == AllMatchingPage);
        return rows;
    }

    private const int AllMatchingPage = 1000;

    private async Task<List<AuditRecord>> QueryLedgerAsync(AuditQueryFilter filter, long skip, int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM audit_ledger WHERE {filter.Sql} ORDER BY seq DESC LIMIT @take OFFSET @skip";
        filter.Bind(command);
        command.WithParameter("@take", take).WithParameter("@skip", skip);
        return await ReadRecordsAsync(command, cancellationToken);
    }

    /// <summary>
    /// The page among the ledger's rows after the key index's mark (the newest), then among the keys up to the mark; then
    /// those rows from the ledger. The mark is read first, so a row the indexer takes meanwhile is still read once, from the
    /// ledger. The offset is applied inside each query, so a far page costs no memory; only a later page counts the tail's
    /// matches, to know how far into the keys it starts.
    /// </summary>
    private async Task<List<AuditRecord>> QueryThroughKeysAsync(AuditKeyIndex index, AuditQueryFilter filter, long skip, int take, CancellationToken cancellationToken)
    {
        await using var keys = await index.OpenAsync(cancellationToken);
        var mark = await AuditKeyIndex.ReadMarkAsync(keys, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var inTail = skip == 0 ? 0 : (await MatchingAsync<long>(connection, "COUNT(*)", "audit_ledger", "seq > @mark", mark, filter, "", cancellationToken))[0];
        var seqs = skip == 0 || skip < inTail
            ? await MatchingAsync<long>(connection, "seq", "audit_ledger", "seq > @mark", mark, filter, Page(take, skip), cancellationToken)
            : [];
        if (seqs.Count < take)
            seqs.AddRange(await MatchingKeysAsync(keys, mark, filter, take - seqs.Count, Math.Max(0, skip - inTail), cancellationToken));
        if (seqs.Count == 0) return [];
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM audit_ledger WHERE seq IN ({string.Join(", ", seqs.Select((_, i) => $"@s{i}"))}) ORDER BY seq DESC";
        for (var i = 0; i < seqs.Count; i++) command.WithParameter($"@s{i}", seqs[i]);
        return await ReadRecordsAsync(command, cancellationToken);
    }

    /// <summary>
    /// The page among the keys up to the mark. A scope's districts and agencies are searched as separate branches, each an
    /// ordered index range cut at the page's end, and merged: one branch per value reads at most the page's rows, where the
    /// OR of them made SQLite read every match of the scope before sorting.
    /// </summary>
    private static async Task<List<long>> MatchingKeysAsync(DbConnection keys, long mark, AuditQueryFilter filter, int take, long skip,
        CancellationToken cancellationToken)
    {
        var branches = filter.Branches;
        if (branches.Count is 1 or > MaxBranches) return await MatchingAsync<long>(keys, "seq", "audit_keys", "seq <= @mark", mark, filter, Page(take, skip), cancellationToken);
        var reach = FormattableString.Invariant($"{take + skip}");
        var merged = string.Join(" UNION ALL ", branches.Select(branch =>
            $"SELECT seq FROM (SELECT seq FROM audit_keys WHERE seq <= @mark AND {branch} ORDER BY seq DESC LIMIT {reach})"));
        return await ReadAsync<long>(keys, $"SELECT seq FROM ({merged}){Page(take, skip)}", mark, filter, cancellationToken);
    }

    /// <summary>Beyond this many a scope is searched as one OR again: SQLite refuses a compound of more than 500 SELECTs.</summary>
    private const int MaxBranches = 100;

    private static string Page(int take, long skip) => FormattableString.Invariant($" ORDER BY seq DESC LIMIT {take} OFFSET {skip}");

    private static Task<List<T>> MatchingAsync<T>(DbConnection connection, string what, string table, string range, long mark, AuditQueryFilter filter,
        string page, CancellationToken cancellationToken) =>
        ReadAsync<T>(connection, $"SELECT {what} FROM {table} WHERE {range} AND {filter.Sql}{page}", mark, filter, cancellationToken);

    private static async Task<List<T>> ReadAsync<T>(DbConnection connection, string sql, long mark, AuditQueryFilter filter, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        filter.Bind(command);
        command.WithParameter("@mark", mark);
        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) values.Add(reader.GetFieldValue<T>(0));
        return values;
    }

    /// <summary>Rows with row ids after <paramref name="afterSeq"/> up to <paramref name="throughSeq"/>, in row-id order, a page at a time.</summary>
    public async IAsyncEnumerable<AuditRecord> ReadChainAsync(long afterSeq, long throughSeq,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await foreach (var record in ReadPagesAsync(connection, null, afterSeq, throughSeq, cancellationToken))
            yield return record;
    }

    /// <summary>
    /// The rows of <paramref name="shard"/> after position <paramref name="after"/> up to <paramref name="through"/>, in
    /// chain order, a page at a time: what a reader that follows the ledger reads (row ids may commit out of order).
    /// </summary>
    public async IAsyncEnumerable<AuditRecord> ReadShardAsync(string shard, long after, long through,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await foreach (var record in ReadShardPagesAsync(connection, shard, after, through, null, null, cancellationToken))
            yield return record;
    }

    /// <summary>
    /// Like <see cref="ReadShardAsync"/>, only the given kinds and every refusal: what a reader that judges views and
    /// refusals needs, without the bulk of allowed decisions.
    /// </summary>
    public async IAsyncEnumerable<AuditRecord> ReadKindsAndRefusalsAsync(string shard, long after, long through, IReadOnlyList<string> kinds,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var named = string.Join(", ", kinds.Select((_, i) => $"@kind{i}"));
        void Bind(DbCommand command)
        {
            for (var i = 0; i < kinds.Count; i++) command.WithParameter($"@kind{i}", kinds[i]);
        }
        await foreach (var record in ReadShardPagesAsync(connection, shard, after, through, $"(kind IN ({named}) OR outcome = 'deny')", Bind, cancellationToken))
            yield return record;
    }

    /// <summary>
    /// The shard heads, the archived ranges, then every live row, from one snapshot (a read-only transaction that never takes
    /// SQLite's write lock), so rows appended or archived meanwhile are in none of them and neither growth nor archiving is
    /// mistaken for tampering. Stops when <paramref name="observeArchived"/> or <paramref name="observe"/> says so.
    /// </summary>
    public async Task<IReadOnlyList<ShardHead>> ReadSnapshotAsync(Func<IReadOnlyList<ArchivedRange>, bool> observeArchived, Func<AuditRecord, bool> observe,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var heads = await ReadHeadsAsync(connection, transaction, null, cancellationToken);
        var archived = await ArchiveStore.ReadRangesAsync(connection, transaction, cancellationToken);
        if (!observeArchived(archived)) return heads;
        var from = archived.Count == 0 ? 0 : archived[^1].LastSeq;
        await foreach (var record in ReadPagesAsync(connection, transaction, from, long.MaxValue, cancellationToken))
            if (!observe(record)) break;
        return heads;
    }

    /// <summary>The last archived row and its hash (0 and the genesis hash when nothing is archived): where the live chain starts.</summary>
    public async Task<(long Seq, string Hash)> ReadArchiveHorizonAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var ranges = await ArchiveStore.ReadRangesAsync(connection, null, cancellationToken);
        return ranges.Count == 0 ? (0, AuditChain.GenesisHash) : (ranges[^1].LastSeq, ranges[^1].LastHash);
    }

    /// <summary>Every shard's head row.</summary>
    public async Task<IReadOnlyList<ShardHead>> ReadHeadsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadHeadsAsync(connection, null, null, cancellationToken);
    }

    /// <summary>One shard's head row, or null when the shard has none (nothing was written to it yet).</summary>
    public async Task<ShardHead?> ReadHeadAsync(string shard, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await ReadHeadsAsync(connection, null, shard, cancellationToken)).SingleOrDefault();
    }

    internal static async Task<IReadOnlyList<ShardHead>> ReadHeadsAsync(DbConnection connection, DbTransaction? transaction, string? shard, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT shard, last_seq, last_hash FROM audit_shard_head" + (shard is null ? "" : " WHERE shard = @shard");
        if (shard is not null) command.WithParameter("@shard", shard);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var heads = new List<ShardHead>();
        while (await reader.ReadAsync(cancellationToken)) heads.Add(new ShardHead(reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        return heads;
    }

    private const int PageSize = 5000;

    private static async IAsyncEnumerable<AuditRecord> ReadPagesAsync(DbConnection connection, DbTransaction? transaction, long afterSeq, long throughSeq,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = afterSeq;
        while (true)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT {Columns} FROM audit_ledger WHERE seq > @from AND seq <= @through ORDER BY seq LIMIT {PageSize}";
            command.WithParameter("@from", from).WithParameter("@through", throughSeq);
            var page = await ReadRecordsAsync(command, cancellationToken);
            foreach (var record in page) yield return record;
            if (page.Count < PageSize) yield break;
            from = page[^1].Seq;
        }
    }

    private static async IAsyncEnumerable<AuditRecord> ReadShardPagesAsync(DbConnection connection, string shard, long after, long through,
        string? filter, Action<DbCommand>? bindFilter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = after;
        while (true)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM audit_ledger WHERE shard = @shard AND {Position} > @from AND {Position} <= @through" +
                                  $"{(filter is null ? "" : " AND " + filter)} ORDER BY {Position} LIMIT {PageSize}";
            command.WithParameter("@shard", shard).WithParameter("@from", from).WithParameter("@through", through);
            bindFilter?.Invoke(command);
            var page = await ReadRecordsAsync(command, cancellationToken);
            foreach (var record in page) yield return record;
            if (page.Count < PageSize) yield break;
            from = page[^1].Position;
        }
    }

    private static async Task<List<AuditRecord>> ReadRecordsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetValue(i).ToString();
            var occurredAt = reader.GetValue(1) switch
            {
                DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
                DateTimeOffset dto => dto,
                var other => DateTimeOffset.Parse(other.ToString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            };
            var entry = new AuditEntry(occurredAt.ToUniversalTime(), reader.GetString(2), Text(3), Text(4), Text(5), Text(6), Text(7), Text(8), Text(9), Text(10), Text(13), Text(14), Text(15));
            records.Add(new AuditRecord(reader.GetInt64(0), entry, reader.GetString(11), reader.GetString(12), reader.GetString(16),
                reader.IsDBNull(17) ? null : reader.GetInt64(17)));
        }
        return records;
    }
}
