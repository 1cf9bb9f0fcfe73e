using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;

namespace SafetyNet.Grains.Observability;

/// <summary>
/// The SQL statements the node's SQLite connections execute, the rows they write and their waits for the write lock, on
/// the "SafetyNet.Database" meter. /metrics exports only the lock waits: with no listener, each command and row hook is
/// one <see cref="Counter{T}.Enabled"/> check.
/// Commands are tagged with a statement label ("INSERT OrleansStorage", "COMMIT") and, for grain state, the grain type.
/// </summary>
public static partial class DatabaseMetrics
{
    public const string MeterName = "SafetyNet.Database";
    public const string CommandsName = "safetynet.db.commands";
    public const string RowsWrittenName = "safetynet.db.rows.written";
    public const string LockWaitsName = "safetynet.db.lock.waits";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<string, string> Labels = new();

    public static readonly Counter<long> Commands =
        Meter.CreateCounter<long>(CommandsName, "{command}", "SQL commands executed, by statement label and grain type.");

    public static readonly Counter<long> RowsWritten =
        Meter.CreateCounter<long>(RowsWrittenName, "{row}", "Rows inserted, updated or deleted, by table.");

    public static readonly Counter<long> LockWaits =
        Meter.CreateCounter<long>(LockWaitsName, "{wait}", "Statements that found SQLite's write lock held and waited for it.");

    public static void CommandExecuted(DbCommand command)
    {
        if (!Commands.Enabled) return;
        Commands.Add(1, new TagList { { "statement", LabelOf(command.CommandText) }, { "grain_type", GrainTypeOf(command) } });
    }

    public static void RowWritten(string table) => RowsWritten.Add(1, new KeyValuePair<string, object?>("table", table));

    /// <summary>The statement's verb and the first table it names, e.g. "SELECT OrleansStorage"; cached per text.</summary>
    public static string LabelOf(string sql) => Labels.GetOrAdd(sql, static text =>
    {
        var verb = Verb().Match(text);
        var table = Table().Match(text);
        var label = verb.Success ? verb.Value.ToUpperInvariant() : "?";
        return table.Success ? $"{label} {table.Groups[1].Value}" : label;
    });

    private static string GrainTypeOf(DbCommand command)
    {
        foreach (DbParameter parameter in command.Parameters)
            if (parameter.ParameterName.EndsWith("GrainTypeString", StringComparison.OrdinalIgnoreCase))
                return parameter.Value as string ?? "";
        return "";
    }

    [GeneratedRegex(@"\b[A-Za-z]+\b")]
    private static partial Regex Verb();

    [GeneratedRegex(@"\b(?:INTO|FROM|UPDATE)\s+""?(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex Table();
}
