namespace SafetyNet.Contracts.Audit;

/// <summary>What one archive run moved out of the live ledger (nothing: <see cref="Files"/> is empty and <see cref="LastSeq"/> is the horizon).</summary>
[GenerateSerializer, Immutable, Alias("ledger-archive-result")]
public sealed record LedgerArchiveResult(
    [property: Id(0)] long FirstSeq,
    [property: Id(1)] long LastSeq,
    [property: Id(2)] long Rows,
    [property: Id(3)] string[] Files)
{
    public static LedgerArchiveResult Nothing(long horizon) => new(horizon + 1, horizon, 0, []);
}
