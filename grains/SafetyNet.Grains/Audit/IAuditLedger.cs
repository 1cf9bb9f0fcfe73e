using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit;

/// <summary>The silo's writer to the audit ledger. <see cref="AppendAsync"/> completes once the entry is durable.</summary>
public interface IAuditLedger
{
    Task AppendAsync(AuditEntry entry);

    Task AppendManyAsync(IReadOnlyCollection<AuditEntry> entries);
}
