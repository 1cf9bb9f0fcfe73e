using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SafetyNet.Grains.Persistence;

/// <summary>
/// Applies the project's own SQL scripts (deploy/sql/{sqlite,postgres}, embedded in this assembly) in name order.
/// Every script is idempotent; one is re-applied only when it is new or its text changed, and each application is recorded
/// in <c>schema_version</c>. Concurrent nodes serialise on a database lock, so a cluster may start all at once.
/// </summary>
public sealed class SchemaMigrator(SafetyNetDatabase database, ILogger<SchemaMigrator> logger)
{
    private const long PostgresLockKey = 0x5AFE_7E7;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var scripts = LoadScripts(database.Provider);
        await using var connection = await database.OpenAsync(cancellationToken);
        await AcquireLockAsync(connection, cancellationToken);
        try
        {
            var applied = await ReadAppliedAsync(connection, scripts[0], cancellationToken);
            var count = 0;
            foreach (var (name, sql) in scripts)
            {
                var checksum = Checksum(sql);
                if (applied.TryGetValue(name, out var known) && known == checksum) continue;
                logger.LogInformation("Applying schema script {Script} ({Index}/{Total})", name, count + 1, scripts.Count);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await SafetyNetDatabase.ExecuteAsync(connection, sql, cancellationToken, transaction);
                await RecordAsync(connection, transaction, name, checksum, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                count++;
            }
            logger.LogInformation("Schema is current: {Applied} script(s) applied now, {Total} known", count, scripts.Count);
            return count;
        }
        finally
        {
            await ReleaseLockAsync(connection, cancellationToken);
        }
    }

    public static IReadOnlyList<(string Name, string Sql)> LoadScripts(DatabaseProvider provider)
    {
        var prefix = $"Sql/{(provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres")}/";
        var assembly = typeof(SchemaMigrator).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (Name: n[prefix.Length..], Sql: reader.ReadToEnd());
            })
            .ToList();
        if (scripts.Count == 0 || !scripts[0].Name.StartsWith("000_", StringComparison.Ordinal))
            throw new InvalidOperationException($"No schema scripts for {provider}, or 000_schema_version.sql is missing.");
        return scripts;
    }

    private async Task AcquireLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (database.Provider == DatabaseProvider.Postgres)
            await SafetyNetDatabase.ExecuteAsync(connection, $"SELECT pg_advisory_lock({PostgresLockKey})", cancellationToken);
        else
            await SafetyNetDatabase.ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken);
    }

    private async Task ReleaseLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (database.Provider == DatabaseProvider.Postgres)
            await SafetyNetDatabase.ExecuteAsync(connection, $"SELECT pg_advisory_unlock({PostgresLockKey})", cancellationToken);
    }

    private static async Task<Dictionary<string, string>> ReadAppliedAsync(DbConnection connection, (string Name, string Sql) versionScript, CancellationToken cancellationToken)
    {
        await SafetyNetDatabase.ExecuteAsync(connection, versionScript.Sql, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT script, checksum FROM schema_version";
        var applied = new Dictionary<string, string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) applied[reader.GetString(0)] = reader.GetString(1);
        return applied;
    }

    private async Task RecordAsync(DbConnection connection, DbTransaction transaction, string name, string checksum, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO schema_version(script, applied_at, checksum) VALUES (@script, @at, @checksum) " +
                              "ON CONFLICT(script) DO UPDATE SET applied_at = excluded.applied_at, checksum = excluded.checksum";
        command.WithParameter("@script", name)
            .WithParameter("@at", database.Provider == DatabaseProvider.Sqlite ? DateTimeOffset.UtcNow.ToString("O") : DateTimeOffset.UtcNow)
            .WithParameter("@checksum", checksum);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Checksum(string sql) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
}
