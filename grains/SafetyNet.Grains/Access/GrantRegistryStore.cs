using System.Text.Json;
using Microsoft.Extensions.Logging;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Persistence.Sealing;

namespace SafetyNet.Grains.Access;

/// <summary>
/// The grant registries' rows (deploy/sql/*/…_grant_registry.sql): one per live grant of a registry, and the registry's
/// version. A change writes the grants it touched and the version in one transaction, so its cost is the size of the change,
/// not of everything the registry holds. Each grant is sealed (<see cref="StateSeal"/>) to its registry and id: a row that a
/// database writer inserted, altered or copied from another registry grants nothing, and is named in a critical log.
/// </summary>
public sealed class GrantRegistryStore(SafetyNetDatabase database, DatabaseOutageGuard guard, StateSeal seal, SafetyNetMetrics metrics,
    ILogger<GrantRegistryStore> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The registry's live grants and version; an empty state at version 0 for one never written.</summary>
    public Task<GrantRegistryState> LoadAsync(string registry) => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var state = new GrantRegistryState();
        await using (var grants = connection.CreateCommand())
        {
            grants.CommandText = "SELECT grant_id, covered FROM grant_registry_grant WHERE registry = @registry";
            grants.WithParameter("@registry", registry);
            await using var reader = await grants.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                if (Open(registry, reader.GetString(0), reader.GetString(1)) is { } covered) state.Grants[reader.GetString(0)] = covered;
        }
        await using var head = connection.CreateCommand();
        head.CommandText = "SELECT version FROM grant_registry_head WHERE registry = @registry";
        head.WithParameter("@registry", registry);
        state.Version = await head.ExecuteScalarAsync(cancellationToken) is { } version and not DBNull ? Convert.ToInt64(version) : 0;
        return state;
    });

    /// <summary>
    /// Writes <paramref name="grantIds"/> as <paramref name="state"/> now holds them (a grant it no longer holds is deleted)
    /// and the state's version, atomically.
    /// </summary>
    public Task SaveAsync(string registry, GrantRegistryState state, IReadOnlyCollection<string> grantIds) => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var statements = new List<string>
        {
            """
            INSERT INTO grant_registry_head (registry, version) VALUES (@registry, @version)
            ON CONFLICT (registry) DO UPDATE SET version = excluded.version
            """,
        };
        command.WithParameter("@registry", registry).WithParameter("@version", state.Version);
        var index = 0;
        foreach (var grantId in grantIds)
        {
            var grant = $"@grant{index}";
            command.WithParameter(grant, grantId);
            if (state.Grants.TryGetValue(grantId, out var covered))
            {
                var json = $"@covered{index}";
                command.WithParameter(json, Seal(registry, grantId, covered));
                statements.Add($"""
                    INSERT INTO grant_registry_grant (registry, grant_id, covered) VALUES (@registry, {grant}, {json})
                    ON CONFLICT (registry, grant_id) DO UPDATE SET covered = excluded.covered
                    """);
            }
            else statements.Add($"DELETE FROM grant_registry_grant WHERE registry = @registry AND grant_id = {grant}");
            index++;
        }
        command.CommandText = string.Join(";\n", statements);
        await command.ExecuteNonQueryAsync(cancellationToken);
        // Given up meanwhile (its caller was told it failed): never committed now that the database answers again.
        cancellationToken.ThrowIfCancellationRequested();
        await transaction.CommitAsync(cancellationToken);
    });

    private string Seal(string registry, string grantId, CoveredGrant covered) =>
        Convert.ToBase64String(seal.Seal(JsonSerializer.SerializeToUtf8Bytes(covered, Json), Context(registry, grantId)));

    /// <summary>The grant a row holds; null, with a critical log, for one whose seal does not open.</summary>
    private CoveredGrant? Open(string registry, string grantId, string stored)
    {
        var context = Context(registry, grantId);
        if (stored.StartsWith('{') && seal.AcceptsUnsealed) return JsonSerializer.Deserialize<CoveredGrant>(stored, Json);
        try
        {
            var bytes = new byte[stored.Length];
            if (!Convert.TryFromBase64String(stored, bytes, out var length)) throw new StateSealException(context, "it is not sealed");
            return JsonSerializer.Deserialize<CoveredGrant>(seal.Open(bytes.AsSpan(0, length), context), Json);
        }
        catch (StateSealException refused)
        {
            metrics.StoredStateRefused();
            logger.LogCritical("{Reason} The grant is not honoured.", refused.Message);
            return null;
        }
    }

    private static string Context(string registry, string grantId) => $"grant {grantId} of grant registry {registry}";
}
