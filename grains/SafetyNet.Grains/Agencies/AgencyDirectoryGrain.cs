using SafetyNet.Contracts.Agencies;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Agencies;

[GenerateSerializer, Alias("agency-directory-state")]
public sealed class AgencyDirectoryState
{
    [Id(0)] public Dictionary<string, AgencyInfo> Agencies { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public long Version { get; set; }
}

public sealed class AgencyDirectoryGrain(
    [PersistentState("agency-directory", StorageNames.Default)] IPersistentState<AgencyDirectoryState> state) : Grain, IAgencyDirectoryGrain
{
    private AgencyRoster? _roster;

    private AgencyRoster Roster => _roster ??= new AgencyRoster(state.State.Version,
        state.State.Agencies.Values.OrderBy(a => a.Id, StringComparer.Ordinal).ToArray());

    public ValueTask<IReadOnlyList<AgencyInfo>> ListAsync() => ValueTask.FromResult<IReadOnlyList<AgencyInfo>>(Roster.Agencies);

    public ValueTask<AgencyRoster> GetRosterAsync() => ValueTask.FromResult(Roster);

    public async Task<AgencyRoster> RegisterAsync(AgencyInfo agency)
    {
        state.State.Agencies[agency.Id] = agency;
        state.State.Version++;
        _roster = null;
        await state.WriteStateAsync();
        return Roster;
    }
}
