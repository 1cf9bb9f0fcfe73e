using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SafetyNet.Grains.Observability;
using SQLitePCL;

namespace SafetyNet.Grains.Persistence;

/// <summary>
/// A SQLite connection that waits for a busy write lock by looking again every 100 µs (<see cref="SqliteLockWait"/>; instead
/// of failing at once and letting Microsoft.Data.Sqlite retry after fixed 150 ms sleeps, or sleeping in SQLite's own
/// handler for up to 25 ms between looks), commits without an fsync per transaction (WAL), and cuts
/// the write-ahead log back to 64 MB whenever it starts over.
/// Every connection of the node gets it, the Orleans providers' included, through <see cref="SqliteTunedFactory"/>.
/// Its commands and written rows are counted on <see cref="DatabaseMetrics"/> when something listens.
/// </summary>
public sealed class SqliteTunedConnection : SqliteConnection
{
    public const string Pragmas = "PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 67108864;";
    private static readonly ConditionalWeakTable<sqlite3, object> TunedHandles = new();
    private static readonly object Tuned = new();

    public SqliteTunedConnection()
    {
    }

    public SqliteTunedConnection(string connectionString) : base(connectionString)
    {
    }

    public override void Open()
    {
        base.Open();
        // The settings and the lock wait belong to the native handle, which the pool keeps across opens: set them once per handle.
        if (!TunedHandles.TryGetValue(Handle!, out _))
        {
            using var command = CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            SqliteLockWait.Install(Handle!);
            TunedHandles.AddOrUpdate(Handle!, Tuned);
        }
        if (DatabaseMetrics.RowsWritten.Enabled)
            raw.sqlite3_update_hook(Handle, static (_, _, _, table, _) => DatabaseMetrics.RowWritten(table.utf8_to_string()), null);
    }

    /// <summary>Code holding a plain DbConnection (e.g. SafetyNetDatabase.ExecuteAsync) creates its commands here.</summary>
    protected override System.Data.Common.DbCommand CreateDbCommand() => CreateCommand();

    public override SqliteCommand CreateCommand() =>
        new SqliteCountedCommand { Connection = this, CommandTimeout = DefaultTimeout, Transaction = Transaction };
}
