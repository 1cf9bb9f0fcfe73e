using Npgsql;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// A fresh PostgreSQL database per test class on the server .ci/run starts. The role comes from SAFETYNET_TEST_PG
/// (default: safetynet_test on 127.0.0.1, which .ci/run creates).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string Server = Environment.GetEnvironmentVariable("SAFETYNET_TEST_PG")
        ?? "Host=127.0.0.1;Port=5432;Username=safetynet_test;Password=safetynet_test;Database=postgres;Timeout=60;Command Timeout=60";

    private TestDatabase(string name) => ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = name, Pooling = false }.ToString();

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var name = $"sn_test_{Guid.NewGuid():N}"[..24];
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new TestDatabase(name);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async ValueTask DisposeAsync()
    {
        var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
