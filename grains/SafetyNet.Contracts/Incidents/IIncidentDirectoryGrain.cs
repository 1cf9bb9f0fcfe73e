namespace SafetyNet.Contracts.Incidents;

/// <summary>Every incident's summary (key: 0) for listing and for dashboards reconnecting, plus external references.</summary>
[Alias("incident-directory")]
public interface IIncidentDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The incident that <paramref name="agencyId"/> already opened under its own <paramref name="externalReference"/>, or a
    /// claim on it for <paramref name="newIncidentId"/>. References are scoped to the issuing agency: another agency's use of
    /// the same number is a different key.
    /// </summary>
    [Alias("claim-reference")]
    Task<string> ClaimReferenceAsync(string agencyId, string externalReference, string newIncidentId);

    /// <summary>The incident <paramref name="agencyId"/> opened under its own <paramref name="externalReference"/>, or null; claims nothing.</summary>
    [Alias("find-reference"), ReadOnly]
    Task<string?> FindReferenceAsync(string agencyId, string externalReference);

    [Alias("upsert")]
    Task UpsertAsync(IncidentSummary summary);

    [Alias("list"), ReadOnly]
    ValueTask<IReadOnlyList<IncidentSummary>> ListAsync();
}
