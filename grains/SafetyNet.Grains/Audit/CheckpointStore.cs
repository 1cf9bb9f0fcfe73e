using System.Globalization;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Audit;

/// <summary>The database copy of the signed checkpoints (table audit_checkpoint, append-only like the ledger).</summary>
public sealed class CheckpointStore(SafetyNetDatabase database)
{
    private const string Columns = "chain, number, key_id, seq, entry_hash, previous_hash, signed_at, signature";

    /// <summary>Stores a checkpoint; storing one that is already there (a retry) changes nothing.</summary>
    public async Task SaveAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO audit_checkpoint ({Columns}) VALUES (@chain, @number, @key_id, @seq, @entry_hash, @previous_hash, @signed_at, @signature) ON CONFLICT DO NOTHING";
        command.WithParameter("@chain", checkpoint.Chain).WithParameter("@number", checkpoint.Number).WithParameter("@key_id", checkpoint.KeyId)
            .WithParameter("@seq", checkpoint.Seq).WithParameter("@entry_hash", checkpoint.EntryHash).WithParameter("@previous_hash", checkpoint.PreviousHash)
            .WithParameter("@signed_at", AuditChain.Timestamp(checkpoint.SignedAt)).WithParameter("@signature", checkpoint.Signature);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<List<AuditCheckpoint>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM audit_checkpoint ORDER BY chain, number";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var checkpoints = new List<AuditCheckpoint>();
        while (await reader.ReadAsync(cancellationToken))
            checkpoints.Add(new AuditCheckpoint(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), SignedAt(reader.GetString(6)), reader.GetString(7)));
        return checkpoints;
    }

    /// <summary>An unreadable time (someone edited it) becomes a time the signature cannot match, so verify names that checkpoint.</summary>
    private static DateTimeOffset SignedAt(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue;
}
