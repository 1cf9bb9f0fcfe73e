using SafetyNet.Contracts.Sessions;

namespace SafetyNet.Contracts.Access;

/// <summary>Stateless (key: 0): the access overview of the principal's agency, through its live session.</summary>
[Alias("access-overview")]
public interface IAccessOverviewGrain : IGrainWithIntegerKey
{
    /// <summary>Forbidden unless the principal owns a live session.</summary>
    [Alias("get")]
    Task<AccessOverview> GetAsync(OperatorPrincipal principal);
}
