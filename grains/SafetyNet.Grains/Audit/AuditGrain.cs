using Orleans.Concurrency;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit;

[StatelessWorker, Reentrant]
public sealed class AuditGrain(IAuditLedger ledger, AuditStore store, LedgerVerification verification) : Grain, IAuditGrain
{
    public Task AppendAsync(AuditEntry entry) => ledger.AppendAsync(entry);

    public Task AppendManyAsync(AuditEntry[] entries) => ledger.AppendManyAsync(entries);

    public Task<AuditPage> QueryAsync(AuditQuery query) => store.QueryAsync(query);

    public Task<ChainVerification> VerifyAsync() => verification.VerifyAsync();

    public Task<IReadOnlyList<CheckpointKeyInfo>> GetCheckpointKeysAsync() => Task.FromResult(verification.Keys());
}
