using System.Data;
using Microsoft.Data.Sqlite;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Grains.Persistence;

/// <summary>A SQLite command that reports each execution to <see cref="DatabaseMetrics"/>; every Execute* path ends here.</summary>
public sealed class SqliteCountedCommand : SqliteCommand
{
    public override SqliteDataReader ExecuteReader(CommandBehavior behavior)
    {
        DatabaseMetrics.CommandExecuted(this);
        return base.ExecuteReader(behavior);
    }
}
