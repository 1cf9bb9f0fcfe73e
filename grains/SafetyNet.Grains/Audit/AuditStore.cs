using System.Data.Common;
using System.Globalization;
using System.Text;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Audit;

/// <summary>Reads of the append-only, hash-chained audit ledger on SQLite or PostgreSQL (appends go through <see cref="AuditWriter"/>).</summary>
public sealed class AuditStore(SafetyNetDatabase database)
{
    internal const string Columns = "seq, occurred_at, kind, outcome, reason, camera_id, agency_id, session_id, incident_id, actor, details, prev_hash, hash";

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

    /// <summary>Walks the whole chain in sequence order and reports the first row whose link or content does not match.</summary>
    public async Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        const int pageSize = 5000;
        await using var connection = await database.OpenAsync(cancellationToken);
        var expectedPrevious = AuditChain.GenesisHash;
        var expectedSeq = 1L;
        long checkedCount = 0;
        while (true)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM audit_ledger WHERE seq >= @from ORDER BY seq LIMIT {pageSize}";
            command.WithParameter("@from", expectedSeq);
            var page = await ReadRecordsAsync(command, cancellationToken);
            foreach (var record in page)
            {
                if (record.Seq != expectedSeq)
                    return new ChainVerification(false, checkedCount, expectedSeq, $"Row {expectedSeq} is missing (next row is {record.Seq}).");
                if (record.PrevHash != expectedPrevious)
                    return new ChainVerification(false, checkedCount, record.Seq, $"Row {record.Seq} does not link to the row before it.");
                if (AuditChain.Hash(record.PrevHash, record.Seq, record.Entry) != record.Hash)
                    return new ChainVerification(false, checkedCount, record.Seq, $"Row {record.Seq} was altered: its content does not match its hash.");
                expectedPrevious = record.Hash;
                expectedSeq++;
                checkedCount++;
            }
            if (page.Count < pageSize) break;
        }

        await using var headCommand = connection.CreateCommand();
        headCommand.CommandText = "SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1";
        await using var head = await headCommand.ExecuteReaderAsync(cancellationToken);
        if (await head.ReadAsync(cancellationToken) && (head.GetInt64(0) != expectedSeq - 1 || head.GetString(1) != expectedPrevious))
            return new ChainVerification(false, checkedCount, expectedSeq, $"The chain ends at row {expectedSeq - 1} but the head records row {head.GetInt64(0)}: rows were removed from the end.");
        return new ChainVerification(true, checkedCount, null, null);
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
            var entry = new AuditEntry(occurredAt.ToUniversalTime(), reader.GetString(2), Text(3), Text(4), Text(5), Text(6), Text(7), Text(8), Text(9), Text(10));
            records.Add(new AuditRecord(reader.GetInt64(0), entry, reader.GetString(11), reader.GetString(12)));
        }
        return records;
    }
}
