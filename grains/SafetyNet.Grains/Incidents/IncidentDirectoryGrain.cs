using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Incidents;

[GenerateSerializer, Alias("incident-directory-state")]
public sealed class IncidentDirectoryState
{
    [Id(0)] public Dictionary<string, string> IncidentByReference { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, IncidentSummary> Incidents { get; set; } = new(StringComparer.Ordinal);
}

public sealed class IncidentDirectoryGrain(
    [PersistentState("incident-directory", StorageNames.Default)] IPersistentState<IncidentDirectoryState> state) : Grain, IIncidentDirectoryGrain
{
    public async Task<string> ClaimReferenceAsync(string externalReference, string newIncidentId)
    {
        if (state.State.IncidentByReference.TryGetValue(externalReference, out var existing)) return existing;
        state.State.IncidentByReference[externalReference] = newIncidentId;
        await state.WriteStateAsync();
        return newIncidentId;
    }

    public async Task UpsertAsync(IncidentSummary summary)
    {
        state.State.Incidents[summary.Id] = summary;
        await state.WriteStateAsync();
    }

    public ValueTask<IReadOnlyList<IncidentSummary>> ListAsync() =>
        ValueTask.FromResult<IReadOnlyList<IncidentSummary>>(state.State.Incidents.Values.ToArray());
}
