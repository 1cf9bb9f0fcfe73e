namespace SafetyNet.Contracts.Agencies;

/// <summary>The list of every agency (key: 0), so that agencies can be enumerated without a scan.</summary>
[Alias("agency-directory")]
public interface IAgencyDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("list"), ReadOnly]
    ValueTask<IReadOnlyList<AgencyInfo>> ListAsync();

    [Alias("roster"), ReadOnly]
    ValueTask<AgencyRoster> GetRosterAsync();

    /// <summary>Records the agency (new or changed); returns the roster that includes it.</summary>
    [Alias("register")]
    Task<AgencyRoster> RegisterAsync(AgencyInfo agency);
}
