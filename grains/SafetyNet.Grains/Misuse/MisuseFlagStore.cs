using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Misuse;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Misuse;

/// <summary>The flags and the rule runner's cursor (deploy/sql/*/…_misuse_flags.sql).</summary>
public sealed class MisuseFlagStore(SafetyNetDatabase database, DatabaseOutageGuard guard)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The last position judged in each ledger shard (empty when the rules never ran on this database).</summary>
    public Task<Dictionary<string, long>> ReadCursorsAsync() => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT shard, last_seq FROM misuse_shard_cursor";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var cursors = new Dictionary<string, long>();
        while (await reader.ReadAsync(cancellationToken)) cursors[reader.GetString(0)] = reader.GetInt64(1);
        return cursors;
    });

    /// <summary>New flags and the per-shard cursors past the entries that raised them, in one transaction; a flag already stored stays as it is.</summary>
    public Task SaveAsync(IReadOnlyCollection<MisuseFlag> flags, IReadOnlyDictionary<string, long> cursors) => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var flag in flags)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO misuse_flag (flag_id, district_code, rule, status, raised_at_ms, body) VALUES (@id, @district, @rule, @status, @raised, @body)
                ON CONFLICT (flag_id) DO NOTHING
                """;
            Bind(insert, flag);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var (shard, lastSeq) in cursors)
        {
            await using var cursor = connection.CreateCommand();
            cursor.Transaction = transaction;
            cursor.CommandText = "INSERT INTO misuse_shard_cursor (shard, last_seq) VALUES (@shard, @seq) ON CONFLICT (shard) DO UPDATE SET last_seq = excluded.last_seq";
            cursor.WithParameter("@shard", shard).WithParameter("@seq", lastSeq);
            await cursor.ExecuteNonQueryAsync(cancellationToken);
        }
        // Given up meanwhile (its caller was told it failed): never committed now that the database answers again.
        cancellationToken.ThrowIfCancellationRequested();
        await transaction.CommitAsync(cancellationToken);
    });

    public Task<IReadOnlyList<MisuseFlag>> ListAsync(FlagQuery query) => guard.Run<IReadOnlyList<MisuseFlag>>(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("WHERE 1 = 1");
        if (query.DistrictCodes is { } districts)
        {
            var names = districts.Select((_, i) => $"@district{i}").ToArray();
            for (var i = 0; i < names.Length; i++) command.WithParameter(names[i], districts[i]);
            where.Append(names.Length == 0 ? " AND 1 = 0" : $" AND district_code IN ({string.Join(", ", names)})");
        }
        if (query.Status is { } status)
        {
            where.Append(" AND status = @status");
            command.WithParameter("@status", EnumNames<FlagStatus>.NameOf(status));
        }
        if (query.Rule is { } rule)
        {
            where.Append(" AND rule = @rule");
            command.WithParameter("@rule", rule);
        }
        if (query.From is { } from)
        {
            where.Append(" AND raised_at_ms >= @from");
            command.WithParameter("@from", from.ToUnixTimeMilliseconds());
        }
        if (query.To is { } to)
        {
            where.Append(" AND raised_at_ms < @to");
            command.WithParameter("@to", to.ToUnixTimeMilliseconds());
        }
        command.CommandText = $"SELECT body FROM misuse_flag {where} ORDER BY raised_at_ms DESC, flag_id LIMIT @take";
        command.WithParameter("@take", query.Limit);
        var flags = new List<MisuseFlag>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) flags.Add(JsonSerializer.Deserialize<MisuseFlag>(reader.GetString(0), Json)!);
        return flags;
    });

    public Task<MisuseFlag?> FindAsync(string flagId) => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM misuse_flag WHERE flag_id = @id";
        command.WithParameter("@id", flagId);
        return await command.ExecuteScalarAsync(cancellationToken) is string body ? JsonSerializer.Deserialize<MisuseFlag>(body, Json) : null;
    });

    /// <summary>Stores the acknowledgement if the flag is still open; false when someone acknowledged it first.</summary>
    public Task<bool> AcknowledgeAsync(MisuseFlag acknowledged) => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE misuse_flag SET status = @status, body = @body WHERE flag_id = @id AND status = @open";
        Bind(command, acknowledged);
        command.WithParameter("@open", EnumNames<FlagStatus>.NameOf(FlagStatus.Open));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    });

    private static void Bind(DbCommand command, MisuseFlag flag) => command
        .WithParameter("@id", flag.Id).WithParameter("@district", flag.DistrictCode).WithParameter("@rule", flag.Rule)
        .WithParameter("@status", EnumNames<FlagStatus>.NameOf(flag.Status)).WithParameter("@raised", flag.RaisedAt.ToUnixTimeMilliseconds())
        .WithParameter("@body", JsonSerializer.Serialize(flag, Json));
}
