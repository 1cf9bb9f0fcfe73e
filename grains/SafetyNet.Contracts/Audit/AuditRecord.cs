namespace SafetyNet.Contracts.Audit;

/// <summary>A ledger row as stored: the entry, its sequence number, and the hash chain links.</summary>
[GenerateSerializer, Immutable, Alias("audit-record")]
public sealed record AuditRecord(
    [property: Id(0)] long Seq,
    [property: Id(1)] AuditEntry Entry,
    [property: Id(2)] string PrevHash,
    [property: Id(3)] string Hash);
