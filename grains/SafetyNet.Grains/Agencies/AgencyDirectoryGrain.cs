using SafetyNet.Contracts.Agencies;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Agencies;

[GenerateSerializer, Alias("agency-directory-state")]
public sealed class AgencyDirectoryState
{
    [Id(0)] public Dictionary<string, AgencyInfo> Agencies { get; set; } = new(StringComparer.Ordinal);
}

public sealed class AgencyDirectoryGrain(
    [PersistentState("agency-directory", StorageNames.Default)] IPersistentState<AgencyDirectoryState> state) : Grain, IAgencyDirectoryGrain
{
    public ValueTask<IReadOnlyList<AgencyInfo>> ListAsync() =>
        ValueTask.FromResult<IReadOnlyList<AgencyInfo>>(state.State.Agencies.Values.OrderBy(a => a.Id, StringComparer.Ordinal).ToArray());

    public async Task RegisterAsync(AgencyInfo agency)
    {
        state.State.Agencies[agency.Id] = agency;
        await state.WriteStateAsync();
    }
}
