namespace SafetyNet.Bench.Cost;

/// <summary>Names the kind of a SQL command from its statement label ("INSERT OrleansStorage") and grain type.</summary>
public static class CommandKind
{
    public static string Of(string statement, string grainType)
    {
        var parts = statement.Split(' ', 2);
        var (verb, table) = (parts[0], parts.Length > 1 ? parts[1] : "");
        return table switch
        {
            "OrleansStorage" => $"grain state {(verb == "SELECT" ? "read" : "write")} {ShortGrainType(grainType)}",
            "OrleansRemindersTable" => $"reminders {(verb == "SELECT" ? "read" : "write")}",
            "OrleansMembershipTable" or "OrleansMembershipVersionTable" => "membership",
            "OrleansQuery" => "orleans query text",
            _ when table.StartsWith("audit_ledger", StringComparison.Ordinal) => $"audit {verb.ToLowerInvariant()} {table}",
            _ when table.StartsWith("audit", StringComparison.Ordinal) => $"audit {verb.ToLowerInvariant()} {table}",
            _ when table.StartsWith("incident", StringComparison.Ordinal) => $"incident directory {verb.ToLowerInvariant()} {table}",
            "" when verb is "BEGIN" or "COMMIT" or "ROLLBACK" or "SAVEPOINT" or "RELEASE" => $"transaction {verb}",
            "" when verb == "PRAGMA" => "connection pragmas",
            _ => $"other {statement}",
        };
    }

    /// <summary>Orleans' grain type string, e.g. "camera" or a namespace-qualified state type, without its namespace.</summary>
    private static string ShortGrainType(string grainType)
    {
        var name = grainType.Split(',')[0];
        return name[(name.LastIndexOf('.') + 1)..];
    }
}
