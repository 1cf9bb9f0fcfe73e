using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SafetyNet.Grains.Persistence;

/// <summary>The ADO.NET factory registered for SQLite, so that Orleans' storage, reminders and our own code share the connection tuning.</summary>
public sealed class SqliteTunedFactory : DbProviderFactory
{
    public static readonly SqliteTunedFactory Instance = new();

    private SqliteTunedFactory()
    {
    }

    public override DbConnection CreateConnection() => new SqliteTunedConnection();

    public override DbCommand CreateCommand() => new SqliteCountedCommand();

    public override DbParameter CreateParameter() => new SqliteParameter();

    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new SqliteConnectionStringBuilder();
}
