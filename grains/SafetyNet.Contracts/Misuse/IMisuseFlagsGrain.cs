namespace SafetyNet.Contracts.Misuse;

/// <summary>Stateless per silo (key: 0): reads flags and acknowledges them (the acknowledgement goes to the ledger too).</summary>
[Alias("misuse-flags")]
public interface IMisuseFlagsGrain : IGrainWithIntegerKey
{
    [Alias("list")]
    Task<IReadOnlyList<MisuseFlag>> ListAsync(FlagQuery query);

    /// <summary>Null when there is no such flag within <paramref name="districtCodes"/> (null: any district); a conflict when already acknowledged.</summary>
    [Alias("acknowledge")]
    Task<MisuseFlag?> AcknowledgeAsync(string flagId, IReadOnlyList<string>? districtCodes, string actor, string agencyId, string note);
}
