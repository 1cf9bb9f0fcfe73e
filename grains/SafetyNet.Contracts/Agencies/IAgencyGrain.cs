namespace SafetyNet.Contracts.Agencies;

/// <summary>One agency (key: agency id), e.g. the Seoul 112 center or a district control room.</summary>
[Alias("agency")]
public interface IAgencyGrain : IGrainWithStringKey
{
    [Alias("get"), ReadOnly]
    ValueTask<AgencyInfo?> GetAsync();

    [Alias("upsert")]
    Task<AgencyInfo> UpsertAsync(AgencyInfo agency, string actor);
}
