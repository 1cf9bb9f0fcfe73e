namespace SafetyNet.Contracts.Agencies;

/// <summary>The list of every agency (key: 0), so that agencies can be enumerated without a scan.</summary>
[Alias("agency-directory")]
public interface IAgencyDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("list"), ReadOnly]
    ValueTask<IReadOnlyList<AgencyInfo>> ListAsync();

    [Alias("register")]
    Task RegisterAsync(AgencyInfo agency);
}
