using SafetyNet.Contracts.Sessions;

namespace SafetyNet.Contracts.Access;

/// <summary>Stateless (key: 0): the access overview of the principal's agency, through its live session.</summary>
[Alias("access-overview")]
public interface IAccessOverviewGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Forbidden unless the principal owns a live session. With <paramref name="incidentId"/> (one the caller's agency may see:
    /// the API checks), judged for that incident's purpose and listing only the cameras it grants.
    /// </summary>
    [Alias("get")]
    Task<AccessOverview> GetAsync(OperatorPrincipal principal, string? incidentId = null);
}
