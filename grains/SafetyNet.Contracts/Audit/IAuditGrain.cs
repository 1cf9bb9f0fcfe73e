namespace SafetyNet.Contracts.Audit;

/// <summary>Stateless per-silo access to the ledger for clients (key: 0). Grains append through the silo's ledger service directly.</summary>
[Alias("audit")]
public interface IAuditGrain : IGrainWithIntegerKey
{
    [Alias("append")]
    Task AppendAsync(AuditEntry entry);

    [Alias("append-many")]
    Task AppendManyAsync(AuditEntry[] entries);

    [Alias("query")]
    Task<AuditPage> QueryAsync(AuditQuery query);

    [Alias("verify")]
    Task<ChainVerification> VerifyAsync();
}
