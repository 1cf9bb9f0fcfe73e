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

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Provider == DatabaseProvider.Sqlite
            ? new SqliteTunedConnection(ConnectionString)
            : new NpgsqlConnection(ConnectionString);
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

    public static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken = default, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
