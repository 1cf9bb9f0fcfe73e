using System.Data.Common;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Audit.Archive;

/// <summary>The archive horizon in the database (table audit_archive, append-only, ranges without gaps) and the controlled delete it allows.</summary>
public sealed class ArchiveStore(SafetyNetDatabase database)
{
    public async Task<List<ArchivedRange>> ReadRangesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadRangesAsync(connection, null, cancellationToken);
    }

    public static async Task<List<ArchivedRange>> ReadRangesAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT first_seq, last_seq, month, file, last_hash, sha256 FROM audit_archive ORDER BY first_seq";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ranges = new List<ArchivedRange>();
        while (await reader.ReadAsync(cancellationToken))
            ranges.Add(new ArchivedRange(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        return ranges;
    }

    /// <summary>
    /// In one transaction: records the archived files (the trigger refuses a range that does not follow the last one, so of
    /// two runs racing only one commits) and removes their rows from the live ledger, which the horizon now allows.
    /// </summary>
    public async Task CommitAsync(IReadOnlyList<ArchiveManifest> archived, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var manifest in archived)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO audit_archive (first_seq, last_seq, month, file, last_hash, sha256, archived_at) " +
                                 "VALUES (@first_seq, @last_seq, @month, @file, @last_hash, @sha256, @archived_at)";
            insert.WithParameter("@first_seq", manifest.FirstSeq).WithParameter("@last_seq", manifest.LastSeq).WithParameter("@month", manifest.Month)
                .WithParameter("@file", manifest.File).WithParameter("@last_hash", manifest.LastHash).WithParameter("@sha256", manifest.Sha256)
                .WithParameter("@archived_at", AuditChain.Timestamp(now));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM audit_ledger WHERE seq <= @horizon";
        delete.WithParameter("@horizon", archived[^1].LastSeq);
        await delete.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
