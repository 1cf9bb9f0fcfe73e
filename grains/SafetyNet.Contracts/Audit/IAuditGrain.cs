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

    /// <summary>The district's newest policy edit in the ledger, or null when it has none (found through an index of policy edits alone).</summary>
    [Alias("newest-policy-change")]
    Task<AuditRecord?> NewestPolicyChangeAsync(string districtCode);

    /// <summary>Every issue and end of the incident's grant to the agency in the district, newest first (found through an index of grant issues and ends alone).</summary>
    [Alias("grant-history")]
    Task<IReadOnlyList<AuditRecord>> GrantHistoryAsync(string incidentId, string agencyId, string districtCode);

    /// <summary>Every mask edit on the district's cameras, newest first (found through an index of mask edits alone).</summary>
    [Alias("mask-changes")]
    Task<IReadOnlyList<AuditRecord>> MaskChangesAsync(string districtCode);

    /// <summary>Checks the chain against the signed checkpoints (this silo's witness and key ring) and names what is wrong.</summary>
    [Alias("verify")]
    Task<ChainVerification> VerifyAsync();

    /// <summary>The public keys this silo verifies checkpoints with (its own first), for offline verification.</summary>
    [Alias("checkpoint-keys")]
    Task<IReadOnlyList<CheckpointKeyInfo>> GetCheckpointKeysAsync();
}
