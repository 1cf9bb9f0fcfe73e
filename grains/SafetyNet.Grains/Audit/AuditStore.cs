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
    internal const string Columns = "seq, occurred_at, kind, outcome, reason, camera_id, agency_id, session_id, incident_id, actor, details, prev_hash, hash, district_code, purpose, justification";

    private bool IsSqlite => database.Provider == DatabaseProvider.Sqlite;

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("WHERE 1 = 1");
        void Filter(string column, string? value)
        {
            if (value is null) return;
            where.Append(CultureInfo.InvariantCulture, $" AND {column} = @{column}");
            command.WithParameter("@" + column, value);
        }
        Filter("camera_id", query.CameraId);
        Filter("agency_id", query.AgencyId);
        Filter("session_id", query.SessionId);
        Filter("incident_id", query.IncidentId);
        Filter("kind", query.Kind);
        Filter("outcome", query.Outcome);
        Filter("district_code", query.DistrictCode);
        Filter("purpose", query.Purpose);
        if (query.Scope is { } scope) where.Append(" AND ").Append(ScopeCondition(command, scope));
        if (query.BeforeSeq is { } before)
        {
            where.Append(" AND seq < @before_seq");
            command.WithParameter("@before_seq", before);
        }
        var cast = IsSqlite ? "@{0}" : "CAST(@{0} AS timestamptz)";
        if (query.From is { } from)
        {
            where.Append(" AND occurred_at >= ").Append(string.Format(CultureInfo.InvariantCulture, cast, "from_time"));
            command.WithParameter("@from_time", AuditChain.Timestamp(from));
        }
        if (query.To is { } to)
        {
            where.Append(" AND occurred_at < ").Append(string.Format(CultureInfo.InvariantCulture, cast, "to_time"));
            command.WithParameter("@to_time", AuditChain.Timestamp(to));
        }
        command.CommandText = $"SELECT {Columns} FROM audit_ledger {where} ORDER BY seq DESC LIMIT @take OFFSET @skip";
        command.WithParameter("@take", query.PageSize + 1).WithParameter("@skip", (query.Page - 1) * query.PageSize);
        var records = await ReadRecordsAsync(command, cancellationToken);
        var hasMore = records.Count > query.PageSize;
        return new AuditPage(hasMore ? records[..query.PageSize] : records, query.Page, query.PageSize, hasMore);
    }

    private static string ScopeCondition(DbCommand command, AuditScope scope)
    {
        string List(string prefix, IReadOnlyList<string> values)
        {
            if (values.Count == 0) return "NULL";
            for (var i = 0; i < values.Count; i++) command.WithParameter($"@{prefix}{i}", values[i]);
            return string.Join(", ", values.Select((_, i) => $"@{prefix}{i}"));
        }
        var districts = List("scope_district", scope.DistrictCodes);
        return scope.CamerasOnly
            ? $"(camera_id IS NOT NULL AND district_code IN ({districts}))"
            : $"(district_code IN ({districts}) OR (district_code IS NULL AND agency_id IN ({List("scope_agency", scope.AgencyIds)})))";
    }

    /// <summary>Rows after <paramref name="afterSeq"/> up to <paramref name="throughSeq"/>, in sequence order, a page at a time.</summary>
    public async IAsyncEnumerable<AuditRecord> ReadChainAsync(long afterSeq, long throughSeq,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await foreach (var record in ReadPagesAsync(connection, null, afterSeq, throughSeq, cancellationToken))
            yield return record;
    }

    /// <summary>
    /// Rows after <paramref name="afterSeq"/> up to <paramref name="throughSeq"/> of the given kinds, and every refusal, in
    /// sequence order: what a reader that judges views and refusals needs, without the bulk of allowed decisions.
    /// </summary>
    public async IAsyncEnumerable<AuditRecord> ReadKindsAndRefusalsAsync(long afterSeq, long throughSeq, IReadOnlyList<string> kinds,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var named = string.Join(", ", kinds.Select((_, i) => $"@kind{i}"));
        void Bind(DbCommand command)
        {
            for (var i = 0; i < kinds.Count; i++) command.WithParameter($"@kind{i}", kinds[i]);
        }
        await foreach (var record in ReadPagesAsync(connection, null, afterSeq, throughSeq, cancellationToken, $"(kind IN ({named}) OR outcome = 'deny')", Bind))
            yield return record;
    }

    /// <summary>
    /// The head, the archived ranges, then every live row, from one snapshot (a read-only transaction that never takes
    /// SQLite's write lock), so rows appended or archived meanwhile are in none of them and neither growth nor archiving is
    /// mistaken for tampering. Stops when <paramref name="observeArchived"/> or <paramref name="observe"/> says so.
    /// </summary>
    public async Task<(long Seq, string Hash)?> ReadSnapshotAsync(Func<IReadOnlyList<ArchivedRange>, bool> observeArchived, Func<AuditRecord, bool> observe,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var head = await ReadHeadAsync(connection, transaction, cancellationToken);
        var archived = await ArchiveStore.ReadRangesAsync(connection, transaction, cancellationToken);
        if (!observeArchived(archived)) return head;
        var from = archived.Count == 0 ? 0 : archived[^1].LastSeq;
        await foreach (var record in ReadPagesAsync(connection, transaction, from, long.MaxValue, cancellationToken))
            if (!observe(record)) break;
        return head;
    }

    /// <summary>The last archived row and its hash (0 and the genesis hash when nothing is archived): where the live chain starts.</summary>
    public async Task<(long Seq, string Hash)> ReadArchiveHorizonAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var ranges = await ArchiveStore.ReadRangesAsync(connection, null, cancellationToken);
        return ranges.Count == 0 ? (0, AuditChain.GenesisHash) : (ranges[^1].LastSeq, ranges[^1].LastHash);
    }

    /// <summary>The chain head row (last seq and hash), or null when the schema has none.</summary>
    public async Task<(long Seq, string Hash)?> ReadHeadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadHeadAsync(connection, null, cancellationToken);
    }

    private static async Task<(long Seq, string Hash)?> ReadHeadAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1";
        await using var head = await command.ExecuteReaderAsync(cancellationToken);
        return await head.ReadAsync(cancellationToken) ? (head.GetInt64(0), head.GetString(1)) : null;
    }

    private static async IAsyncEnumerable<AuditRecord> ReadPagesAsync(DbConnection connection, DbTransaction? transaction, long afterSeq, long throughSeq,
        [EnumeratorCancellation] CancellationToken cancellationToken, string? filter = null, Action<DbCommand>? bindFilter = null)
    {
        const int pageSize = 5000;
        var from = afterSeq;
        while (true)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT {Columns} FROM audit_ledger WHERE seq > @from AND seq <= @through{(filter is null ? "" : " AND " + filter)} ORDER BY seq LIMIT {pageSize}";
            command.WithParameter("@from", from).WithParameter("@through", throughSeq);
            bindFilter?.Invoke(command);
            var page = await ReadRecordsAsync(command, cancellationToken);
            foreach (var record in page) yield return record;
            if (page.Count < pageSize) yield break;
            from = page[^1].Seq;
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
            records.Add(new AuditRecord(reader.GetInt64(0), entry, reader.GetString(11), reader.GetString(12)));
        }
        return records;
    }
}
