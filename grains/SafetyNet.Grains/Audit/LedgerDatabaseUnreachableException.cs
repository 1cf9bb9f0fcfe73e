namespace SafetyNet.Grains.Audit;

/// <summary>The ledger's writer could not even open a new connection: the database is down or lost to the network.</summary>
public sealed class LedgerDatabaseUnreachableException(Exception cause)
    : Exception($"The audit ledger's database cannot be reached: {cause.GetBaseException().Message}", cause);
