using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafetyNet.Grains.Access;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Persistence.Sealing;
using SafetyNet.Tests.Persistence;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>An embedded node's grant registry rows, opened with its state key as the node reads them (through its own store).</summary>
public static class NodeGrantRows
{
    public static async Task<List<(string Registry, CoveredGrant Grant)>> ReadAsync(TestNode node)
    {
        var registries = new List<string>();
        await using (var connection = new SqliteConnection($"Data Source={DatabaseFile(node)};Pooling=False;Default Timeout=30"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT DISTINCT registry FROM grant_registry_grant";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) registries.Add(reader.GetString(0));
        }
        var store = new GrantRegistryStore(SafetyNetDatabase.ForSqliteFile(DatabaseFile(node)), ReachableDatabase.Guard, SealOf(node), ReachableDatabase.Metrics,
            NullLogger<GrantRegistryStore>.Instance);
        var rows = new List<(string, CoveredGrant)>();
        foreach (var registry in registries)
            rows.AddRange((await store.LoadAsync(registry)).Grants.Values.Select(grant => (registry, grant)));
        return rows;
    }

    /// <summary>The seal of an embedded node, over the key it created in its data directory.</summary>
    public static StateSeal SealOf(TestNode node) =>
        new(Options.Create(new StateSealOptions { KeyPath = Path.Combine(node.DataDirectory, "state-seal.key"), GenerateKey = false }), NullLogger<StateSeal>.Instance);

    public static string DatabaseFile(TestNode node) => Path.Combine(node.DataDirectory, "safetynet.db");
}
