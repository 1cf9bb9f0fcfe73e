using Npgsql;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// A fresh PostgreSQL database per test class on the server .ci/run starts. The role comes from SAFETYNET_TEST_PG
/// (default: safetynet_test on 127.0.0.1, which .ci/run creates).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string Server = Environment.GetEnvironmentVariable("SAFETYNET_TEST_PG")
        ?? "Host=127.0.0.1;Port=5432;Username=safetynet_test;Password=safetynet_test;Database=postgres;Timeout=60;Command Timeout=60";

    private TestDatabase(string name)
    {
        ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = name, Pooling = false }.ToString();
        PooledConnectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = true }.ToString();
    }

    public string ConnectionString { get; }

    /// <summary>For a node that keeps a pool of connections, as in production (the pool is cleared when the database is dropped).</summary>
    public string PooledConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var name = $"sn_test_{Guid.NewGuid():N}"[..24];
        await OnServerAsync($"CREATE DATABASE {name}");
        return new TestDatabase(name);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>
    /// Ends every connection the test role holds to this database, as a restart or failover of the server does (an
    /// autovacuum worker, which the role may not end, is left alone); returns how many were ended.
    /// </summary>
    public Task<long> DropConnectionsAsync() => ScalarAsync(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()");

    /// <summary>
    /// Takes this database away from its clients until the returned handle is disposed, as a server that is down for a
    /// while does: every new connection is refused ("not currently accepting connections") and the open ones are ended.
    /// The other tests' databases on the same server are untouched.
    /// </summary>
    public async Task<IAsyncDisposable> OutageAsync()
    {
        await OnServerAsync($"ALTER DATABASE {Name} WITH ALLOW_CONNECTIONS false");
        await OnServerAsync($"SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{Name}' AND usename = current_user");
        return new Outage(this);
    }

    private sealed class Outage(TestDatabase database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await OnServerAsync($"ALTER DATABASE {database.Name} WITH ALLOW_CONNECTIONS true");
    }

    private string Name => new NpgsqlConnectionStringBuilder(ConnectionString).Database!;

    private static async Task OnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        var name = Name;
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        // Our own idle pooled connections go first; a plain DROP then also stops an autovacuum worker that is visiting the
        // new database, which FORCE refuses to terminate for a non-superuser ("must be a member of the role ...").
        await using (var own = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(own);
        await using (var pooled = new NpgsqlConnection(PooledConnectionString)) NpgsqlConnection.ClearPool(pooled);
        if (await TryDropAsync(connection, name)) return;
        // A node process of the test still holds a connection, or a session whose client went away (a relay closed) has
        // not ended yet: ours are ended, and the drop is tried again while they exit. FORCE is not used: it also refuses
        // to end an autovacuum worker for a non-superuser, which a plain drop stops by itself.
        await using (var end = new NpgsqlCommand(
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{name}' AND usename = current_user AND pid <> pg_backend_pid()", connection))
            await end.ExecuteScalarAsync();
        await Eventually.WaitAsync(() => TryDropAsync(connection, name), dropped => dropped, TimeSpan.FromSeconds(30), $"database {name} to be dropped");
    }

    /// <summary>Drops the database; false while another session is still connected to it.</summary>
    private static async Task<bool> TryDropAsync(NpgsqlConnection connection, string name)
    {
        try
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", connection);
            await drop.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse)
        {
            return false;
        }
    }
}
