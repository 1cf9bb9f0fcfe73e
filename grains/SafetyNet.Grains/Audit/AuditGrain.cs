using Orleans.Concurrency;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Audit;

[StatelessWorker, Reentrant]
public sealed class AuditGrain(IAuditLedger ledger, AuditStore store, LedgerVerification verification, DatabaseOutageGuard guard) : Grain, IAuditGrain
{
    public Task AppendAsync(AuditEntry entry) => ledger.AppendAsync(entry);

    public Task AppendManyAsync(AuditEntry[] entries) => ledger.AppendManyAsync(entries);

    public Task<AuditPage> QueryAsync(AuditQuery query) => guard.Run(token => store.QueryAsync(query, token));

    public Task<AuditRecord?> NewestPolicyChangeAsync(string districtCode) => guard.Run(token => store.NewestPolicyChangeAsync(districtCode, token));

    public async Task<IReadOnlyList<AuditRecord>> GrantHistoryAsync(string incidentId, string agencyId, string districtCode) =>
        await guard.Run(token => store.GrantHistoryAsync(incidentId, agencyId, districtCode, token));

    public async Task<IReadOnlyList<AuditRecord>> MaskChangesAsync(string districtCode) =>
        await guard.Run(token => store.MaskChangesAsync(districtCode, token));

    public Task<ChainVerification> VerifyAsync() => guard.Run(verification.VerifyAsync);

    public Task<IReadOnlyList<CheckpointKeyInfo>> GetCheckpointKeysAsync() => Task.FromResult(verification.Keys());
}
