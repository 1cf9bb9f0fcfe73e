namespace SafetyNet.Grains.Observability;

/// <summary>What a refusal during a database outage refused (<see cref="SafetyNetMetrics.DatabaseRefused"/>).</summary>
public enum DatabaseRefusal
{
    /// <summary>An action the ledger could not record, so it was not performed.</summary>
    AuditedAction,

    /// <summary>Grain state, or another read or write of the database's rows.</summary>
    DatabaseOperation,
}
