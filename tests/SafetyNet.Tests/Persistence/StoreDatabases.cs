using Microsoft.Extensions.Logging.Abstractions;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Cluster;

namespace SafetyNet.Tests.Persistence;

/// <summary>Runs a store's exercise on a fresh, migrated database of each kind the product supports.</summary>
internal static class StoreDatabases
{
    public static Task OnSqliteAsync(string name, Func<SafetyNetDatabase, Task> exercise) =>
        MigratedAsync(SafetyNetDatabase.ForSqliteFile(Path.Combine(Directory.CreateTempSubdirectory($"safetynet-{name}-").FullName, "db.sqlite")), exercise);

    public static async Task OnPostgresAsync(Func<SafetyNetDatabase, Task> exercise)
    {
        await using var database = await TestDatabase.CreateAsync();
        await MigratedAsync(new SafetyNetDatabase(DatabaseProvider.Postgres, database.ConnectionString), exercise);
    }

    private static async Task MigratedAsync(SafetyNetDatabase database, Func<SafetyNetDatabase, Task> exercise)
    {
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        await exercise(database);
    }
}
