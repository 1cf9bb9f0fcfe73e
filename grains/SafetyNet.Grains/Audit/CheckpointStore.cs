using System.Globalization;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Audit;

/// <summary>The database copy of the signed checkpoints (table audit_checkpoint, append-only like the ledger).</summary>
public sealed class CheckpointStore(SafetyNetDatabase database)
{
    private const string Columns = "chain, number, key_id, seq, entry_hash, previous_hash, signed_at, signature, shard, links";

    /// <summary>Stores a checkpoint; storing one that is already there (a retry) changes nothing.</summary>
    public async Task SaveAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO audit_checkpoint ({Columns}) VALUES (@chain, @number, @key_id, @seq, @entry_hash, @previous_hash, @signed_at, @signature, @shard, @links) ON CONFLICT DO NOTHING";
        command.WithParameter("@chain", checkpoint.Chain).WithParameter("@number", checkpoint.Number).WithParameter("@key_id", checkpoint.KeyId)
            .WithParameter("@seq", checkpoint.Seq).WithParameter("@entry_hash", checkpoint.EntryHash).WithParameter("@previous_hash", checkpoint.PreviousHash)
            .WithParameter("@signed_at", AuditChain.Timestamp(checkpoint.SignedAt)).WithParameter("@signature", checkpoint.Signature)
            .WithParameter("@shard", checkpoint.Shard).WithParameter("@links", checkpoint.Links is null ? null : FormatLinks(checkpoint.Links));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<List<AuditCheckpoint>> ReadAllAsync(CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {Columns} FROM audit_checkpoint ORDER BY chain, number", cancellationToken);

    /// <summary>The newest checkpoint of every chain: what a checkpointer links (after checking its signature).</summary>
    public Task<List<AuditCheckpoint>> ReadLatestAsync(CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {Columns} FROM audit_checkpoint c WHERE number = (SELECT MAX(number) FROM audit_checkpoint l WHERE l.chain = c.chain)", cancellationToken);

    private async Task<List<AuditCheckpoint>> ReadAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var checkpoints = new List<AuditCheckpoint>();
        while (await reader.ReadAsync(cancellationToken))
            checkpoints.Add(new AuditCheckpoint(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), SignedAt(reader.GetString(6)), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : ParseLinks(reader.GetString(9))));
        return checkpoints;
    }

    private static string FormatLinks(IReadOnlyList<ShardHead> links) =>
        string.Join('\n', links.Select(l => $"{l.Shard} {l.Seq.ToString(CultureInfo.InvariantCulture)} {l.Hash}"));

    /// <summary>An unreadable link (someone edited it) becomes one the signature cannot match, so verify names that checkpoint.</summary>
    private static List<ShardHead> ParseLinks(string text) =>
        text.Length == 0 ? [] : text.Split('\n').Select(line => line.Split(' ') is [var shard, var seq, var hash] && long.TryParse(seq, CultureInfo.InvariantCulture, out var n)
            ? new ShardHead(shard, n, hash)
            : new ShardHead(line, -1, "")).ToList();

    /// <summary>An unreadable time (someone edited it) becomes a time the signature cannot match, so verify names that checkpoint.</summary>
    private static DateTimeOffset SignedAt(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue;
}
