namespace SafetyNet.Contracts.Incidents;

/// <summary>Every incident's summary (key: 0) for listing and for dashboards reconnecting, plus external references.</summary>
[Alias("incident-directory")]
public interface IIncidentDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The incident already opened under this external reference, or a claim on it for <paramref name="newIncidentId"/>.</summary>
    [Alias("claim-reference")]
    Task<string> ClaimReferenceAsync(string externalReference, string newIncidentId);

    [Alias("upsert")]
    Task UpsertAsync(IncidentSummary summary);

    [Alias("list"), ReadOnly]
    ValueTask<IReadOnlyList<IncidentSummary>> ListAsync();
}
