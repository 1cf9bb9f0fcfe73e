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
    [PersistentState("incident-directory", StorageNames.Default)] IPersistentState<IncidentDirectoryState> state,
    TimeProvider clock) : Grain, IIncidentDirectoryGrain
{
    private static readonly TimeSpan RetainClosed = TimeSpan.FromDays(1);

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
        // The directory lists what is current; closed incidents leave it after a day (they stay readable by id, and audited).
        var cutoff = clock.GetUtcNow() - RetainClosed;
        foreach (var stale in state.State.Incidents.Values.Where(i => i.Status == IncidentStatus.Closed && i.OpenedAt < cutoff).Select(i => i.Id).ToList())
            state.State.Incidents.Remove(stale);
        await state.WriteStateAsync();
    }

    public ValueTask<IReadOnlyList<IncidentSummary>> ListAsync() =>
        ValueTask.FromResult<IReadOnlyList<IncidentSummary>>(state.State.Incidents.Values.ToArray());
}
