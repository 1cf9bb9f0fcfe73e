using System.Data.Common;
using Microsoft.Extensions.Configuration;
using SafetyNet.Silo.Configuration;
using SafetyNet.Silo.Hosting;

namespace SafetyNet.Tests.Persistence;

/// <summary>
/// The embedded node's SQLite connections, including those Orleans' ADO.NET storage and reminders open through the
/// registered factory, wait for a busy write lock inside SQLite and commit without an fsync per transaction.
/// </summary>
public sealed class SqliteTuningTests
{
    [Fact]
    public async Task Connections_orleans_opens_for_the_embedded_database_are_tuned()
    {
        var directory = Directory.CreateTempSubdirectory("safetynet-sqlite-tuning-").FullName;
        try
        {
            var database = DatabaseSelection.Select(new NodeClusterOptions(), new StorageOptions { DataDirectory = directory }, new ConfigurationBuilder().Build());
            var factory = DbProviderFactories.GetFactory(database.OrleansInvariant);
            await using var connection = factory.CreateConnection()!;
            connection.ConnectionString = database.ConnectionString;
            await connection.OpenAsync();

            Assert.Equal(30_000L, await PragmaAsync(connection, "busy_timeout"));
            Assert.Equal(1L, await PragmaAsync(connection, "synchronous")); // NORMAL

            // The settings are made once per native handle; the pool hands the same handle out again, still tuned.
            var handle = ((Microsoft.Data.Sqlite.SqliteConnection)connection).Handle;
            await connection.CloseAsync();
            await connection.OpenAsync();
            Assert.Same(handle, ((Microsoft.Data.Sqlite.SqliteConnection)connection).Handle);
            Assert.Equal(30_000L, await PragmaAsync(connection, "busy_timeout"));
            Assert.Equal(1L, await PragmaAsync(connection, "synchronous"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<long> PragmaAsync(DbConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
