using Orleans.Concurrency;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Misuse;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Grains.Misuse;

[StatelessWorker, Reentrant]
public sealed class MisuseFlagsGrain(MisuseFlagStore store, IAuditLedger audit, TimeProvider clock) : Grain, IMisuseFlagsGrain
{
    public Task<IReadOnlyList<MisuseFlag>> ListAsync(FlagQuery query) => store.ListAsync(query);

    public async Task<MisuseFlag?> AcknowledgeAsync(string flagId, IReadOnlyList<string>? districtCodes, string actor, string agencyId, string note)
    {
        var flag = await store.FindAsync(flagId);
        if (flag is null || (districtCodes is not null && (flag.DistrictCode is null || !districtCodes.Contains(flag.DistrictCode)))) return null;
        if (flag.Status == FlagStatus.Acknowledged) throw DomainException.Conflict($"Flag '{flagId}' was already acknowledged by {flag.AcknowledgedBy}.");
        var now = clock.GetUtcNow();
        var acknowledged = flag with { Status = FlagStatus.Acknowledged, AcknowledgedBy = actor, AcknowledgedAt = now, Note = note };
        if (!await store.AcknowledgeAsync(acknowledged)) throw DomainException.Conflict($"Flag '{flagId}' was acknowledged by someone else meanwhile.");
        await audit.AppendAsync(MisuseFlagRecords.Acknowledged(acknowledged, actor, agencyId, now));
        await GrainFactory.GetGrain<IEventPublisherGrain>(0).PublishAsync([MisuseFlagRecords.Event(DashboardEventNames.MisuseFlagAcknowledged, acknowledged, now)]);
        return acknowledged;
    }
}
