using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>What an insider with write access to a node's SQLite file does to the ledger, by SQL, behind the node's back.</summary>
public static class LedgerInsider
{
    /// <summary>Edits row <paramref name="position"/> of a shard, recomputes every later link and hash, and moves the head row.</summary>
    public static async Task RewriteFromAsync(SafetyNetDatabase database, string shard, long position)
    {
        var rows = new List<AuditRecord>();
        await foreach (var record in new AuditStore(database).ReadShardAsync(shard, position - 1, long.MaxValue, CancellationToken.None)) rows.Add(record);
        var previous = rows[0].PrevHash;
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await ExecuteAsync(connection, "DROP TRIGGER trg_audit_ledger_no_update");
        foreach (var row in rows)
        {
            var entry = row.Position == position ? row.Entry with { Outcome = row.Entry.Outcome == "allow" ? "deny" : "allow", Reason = "rewritten" } : row.Entry;
            var hash = AuditChain.Hash(previous, row.Position, entry);
            await ExecuteAsync(connection, "UPDATE audit_ledger SET outcome = $o, reason = $r, prev_hash = $p, hash = $h WHERE shard = $shard AND shard_seq = $pos",
                ("$o", entry.Outcome), ("$r", entry.Reason), ("$p", previous), ("$h", hash), ("$shard", shard), ("$pos", row.Position));
            previous = hash;
        }
        await ExecuteAsync(connection, "UPDATE audit_shard_head SET last_seq = $seq, last_hash = $hash WHERE shard = $shard",
            ("$seq", rows[^1].Position), ("$hash", previous), ("$shard", shard));
        await transaction.CommitAsync();
    }

    /// <summary>Appends a well-chained row to a shard, head row and all, as the node's own writer would: what only the checkpoints can tell apart.</summary>
    public static async Task AppendAsync(SafetyNetDatabase database, string shard, AuditEntry entry)
    {
        await using var writer = new AuditWriter(database, new LedgerShard(shard), NullLogger<AuditWriter>.Instance);
        await writer.AppendBatchAsync([entry], CancellationToken.None);
    }

    /// <summary>The shard and position of the ledger's newest row: on a single node, its own shard.</summary>
    public static async Task<(string Shard, long Position)> NewestRowAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT shard, shard_seq FROM audit_ledger ORDER BY seq DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetInt64(1));
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }
}
