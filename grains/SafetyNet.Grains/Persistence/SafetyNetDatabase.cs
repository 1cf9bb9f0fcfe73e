using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SafetyNet.Grains.Persistence;

/// <summary>The one relational database of a deployment: where grain state, reminders, membership and the audit ledger live.</summary>
public sealed class SafetyNetDatabase(DatabaseProvider provider, string connectionString)
{
    public DatabaseProvider Provider { get; } = provider;

    public string ConnectionString { get; } = connectionString;

    private const string SqliteInvariant = "System.Data.SQLite";
    private const string PostgresInvariant = "Npgsql";

    /// <summary>The ADO.NET invariant name the Orleans providers expect for this database.</summary>
    public string OrleansInvariant => Provider == DatabaseProvider.Sqlite ? SqliteInvariant : PostgresInvariant;

    /// <summary>Where the Orleans ADO.NET providers look their factories up; SQLite gets the tuned connections.</summary>
    public static void RegisterProviderFactories()
    {
        DbProviderFactories.RegisterFactory(SqliteInvariant, SqliteTunedFactory.Instance);
        DbProviderFactories.RegisterFactory(PostgresInvariant, NpgsqlFactory.Instance);
    }

    public static SafetyNetDatabase ForSqliteFile(string path) =>
        new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30, Pooling = true }.ToString());

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => OpenAsync(ConnectionString, cancellationToken);

    /// <summary>
    /// A connection that is new, never one the pool kept: for a holder that keeps its connection for long (the ledger
    /// writer) and must not, after the server restarted, be handed one it had dropped, and for a probe that must not wait
    /// on a pooled connection to a server that went silent. On PostgreSQL <paramref name="timeout"/> bounds the connect
    /// and each statement (rounded up to whole seconds), and a statement that runs out of it breaks the connection once the
    /// cancel is sent, without waiting for the server to confirm it. SQLite (a local file) opens as usual.
    /// </summary>
    public Task<DbConnection> OpenFreshAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (Provider != DatabaseProvider.Postgres) return OpenAsync(ConnectionString, cancellationToken);
        var seconds = (int)Math.Ceiling(timeout.TotalSeconds);
        var fresh = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = seconds, CommandTimeout = seconds, CancellationTimeout = -1 };
        return OpenAsync(fresh.ToString(), cancellationToken);
    }

    private async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        DbConnection connection = Provider == DatabaseProvider.Sqlite
            ? new SqliteTunedConnection(connectionString)
            : new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Drops the pooled connections to PostgreSQL (the Orleans providers share the pool): after a restart or failover of the
    /// server every one of them is dead, and each would otherwise fail the request that next takes it. SQLite has none to lose.
    /// </summary>
    public void ClearPool()
    {
        if (Provider != DatabaseProvider.Postgres) return;
        using var connection = new NpgsqlConnection(ConnectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    public static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken = default, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
