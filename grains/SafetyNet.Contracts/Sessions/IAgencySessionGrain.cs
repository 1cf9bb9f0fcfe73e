using SafetyNet.Contracts.Access;

namespace SafetyNet.Contracts.Sessions;

/// <summary>One operator console or field device (key: session id), kept alive by heartbeats.</summary>
[Alias("agency-session")]
public interface IAgencySessionGrain : IGrainWithStringKey
{
    [Alias("start")]
    Task<SessionInfo> StartAsync(OperatorPrincipal principal);

    [Alias("heartbeat")]
    Task<SessionInfo> HeartbeatAsync(OperatorPrincipal principal);

    [Alias("end")]
    Task<SessionInfo> EndAsync(OperatorPrincipal principal, string reason);

    [Alias("get")]
    ValueTask<SessionInfo?> GetAsync();

    /// <summary>Decides (and audits) whether this session may view a camera. The principal must own the session.</summary>
    [Alias("decide")]
    Task<AccessDecision> DecideAsync(OperatorPrincipal principal, AccessRequest request);

    [Alias("decide-many")]
    Task<AccessDecision[]> DecideManyAsync(OperatorPrincipal principal, AccessRequest[] requests);
}
