using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Evidence;
using SafetyNet.Contracts.Media;

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

    /// <summary>
    /// Decides (and audits) whether this session may view a camera. The principal must own the session. Read-only: a
    /// console's decisions run side by side, since the session only reads its owner and expiry to make them.
    /// </summary>
    [Alias("decide"), ReadOnly]
    Task<AccessDecision> DecideAsync(OperatorPrincipal principal, AccessRequest request);

    /// <summary>Decides, then (when allowed) opens a stream lease bound to this session.</summary>
    [Alias("request-lease")]
    Task<LeaseOutcome> RequestLeaseAsync(OperatorPrincipal principal, AccessRequest request, int priority);

    /// <summary>Re-decides and extends a lease of this session; a lease whose access no longer holds is ended instead.</summary>
    [Alias("renew-lease")]
    Task<LeaseOutcome> RenewLeaseAsync(OperatorPrincipal principal, string leaseId);

    [Alias("release-lease")]
    Task ReleaseLeaseAsync(OperatorPrincipal principal, string leaseId);

    /// <summary>Rewinds a lease of this session (see <see cref="Cameras.ICameraGrain.RewindAsync"/>). The principal must own the session.</summary>
    [Alias("rewind-lease")]
    Task<RewindOutcome> RewindLeaseAsync(OperatorPrincipal principal, string leaseId, DateTimeOffset at);

    /// <summary>Decides, then (when allowed) takes a JPEG from the camera.</summary>
    [Alias("snapshot")]
    Task<SnapshotOutcome> SnapshotAsync(OperatorPrincipal principal, AccessRequest request);

    /// <summary>
    /// Decides, then (when allowed, and for an operator only from a camera this session holds a lease on) exports a signed
    /// clip or snapshot. Every refusal is in the ledger as an evidence-export deny.
    /// </summary>
    [Alias("export-evidence")]
    Task<EvidenceOutcome> ExportEvidenceAsync(OperatorPrincipal principal, AccessRequest request, EvidenceRequest evidence);

    [Alias("decide-many"), ReadOnly]
    Task<AccessDecision[]> DecideManyAsync(OperatorPrincipal principal, AccessRequest[] requests);

    /// <summary>
    /// Judges many cameras for a listing without opening any: the decisions, and one summary row in the ledger for the
    /// whole request (<paramref name="query"/> says what was asked), not one per camera.
    /// </summary>
    [Alias("preview-many")]
    Task<AccessDecision[]> PreviewManyAsync(OperatorPrincipal principal, AccessRequest[] requests, string query);
}
