using Microsoft.Data.Sqlite;

namespace SafetyNet.Grains.Persistence;

/// <summary>
/// A SQLite connection that, on every open, waits inside SQLite for a busy write lock (instead of failing at once and
/// letting Microsoft.Data.Sqlite retry after fixed 150 ms sleeps) and commits without an fsync per transaction (WAL).
/// Every connection of the node gets it, the Orleans providers' included, through <see cref="SqliteTunedFactory"/>.
/// </summary>
public sealed class SqliteTunedConnection : SqliteConnection
{
    public const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

    public SqliteTunedConnection()
    {
    }

    public SqliteTunedConnection(string connectionString) : base(connectionString)
    {
    }

    public override void Open()
    {
        base.Open();
        using var command = CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
