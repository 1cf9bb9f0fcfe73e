using System.Text.Json;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Agencies;

[GenerateSerializer, Alias("agency-state")]
public sealed class AgencyState
{
    [Id(0)] public AgencyInfo? Agency { get; set; }
}

public sealed class AgencyGrain(
    [PersistentState("agency", StorageNames.Default)] IPersistentState<AgencyState> state,
    IAuditLedger audit,
    IServedDistricts served,
    AgencyDirectoryCache directory,
    TimeProvider clock) : Grain, IAgencyGrain
{
    public ValueTask<AgencyInfo?> GetAsync() => ValueTask.FromResult(state.State.Agency);

    public async Task<AgencyInfo> UpsertAsync(AgencyInfo agency, string actor)
    {
        if (agency.Id != this.GetPrimaryKeyString())
            throw DomainException.Invalid($"The agency id in the body ('{agency.Id}') does not match the path ('{this.GetPrimaryKeyString()}').");
        if (string.IsNullOrWhiteSpace(agency.Name))
            throw DomainException.Invalid("An agency needs a name.");
        if (agency.Districts.FirstOrDefault(d => !served.Serves(d)) is { } unknown)
            throw DomainException.Invalid($"Jurisdiction names an unknown district. {served.NoSuchDistrict(unknown)}");
        if (!agency.CityWide && agency.Districts.Length == 0)
            throw DomainException.Invalid("An agency's jurisdiction must be city-wide or name at least one district.");
        var normalized = agency with { Districts = agency.Districts.Distinct().Order().ToArray() };
        if (state.State.Agency is { } existing && existing.Kind == normalized.Kind && existing.Name == normalized.Name &&
            existing.CityWide == normalized.CityWide && existing.Districts.SequenceEqual(normalized.Districts))
            return existing;
        state.State.Agency = normalized;
        await state.WriteStateAsync();
        directory.Remember(await GrainFactory.GetGrain<IAgencyDirectoryGrain>(0).RegisterAsync(normalized), clock.GetUtcNow());
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.AgencyChange, AgencyId: normalized.Id, Actor: actor,
            Details: JsonSerializer.Serialize(normalized)));
        return normalized;
    }
}
