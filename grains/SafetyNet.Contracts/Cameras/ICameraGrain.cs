using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Evidence;
using SafetyNet.Contracts.Media;

namespace SafetyNet.Contracts.Cameras;

/// <summary>One camera (key: camera id). It answers access questions for itself from the incident grants its district's registry tells it of.</summary>
[Alias("camera")]
public interface ICameraGrain : IGrainWithStringKey
{
    [Alias("get"), ReadOnly]
    ValueTask<CameraInfo?> GetAsync();

    [Alias("update")]
    Task<CameraInfo> UpdateAsync(CameraPatch patch, string actor);

    /// <summary>Called by the owning district when the catalog entry changed.</summary>
    [Alias("catalog-changed")]
    Task OnCatalogChangedAsync(CameraInfo camera);

    [Alias("decide")]
    Task<AccessDecision> DecideAsync(AccessSubject subject, AccessRequest request);

    /// <summary>The same decision, not audited: for listings that show access but open nothing (the caller audits a summary).</summary>
    [Alias("preview")]
    Task<AccessDecision> PreviewAsync(AccessSubject subject, AccessRequest request);

    /// <summary>
    /// Decides, audits the decision and, when allowed, opens a lease, in one call. The lease's priority is the request's,
    /// raised to the incident's when a grant allowed it.
    /// </summary>
    [Alias("decide-and-lease")]
    Task<LeaseOutcome> DecideAndLeaseAsync(AccessSubject subject, AccessRequest request, int priority);

    /// <summary>From the district's grant registry: the grants that cover this camera now (kept in memory, never persisted here).</summary>
    [Alias("grants-changed")]
    Task GrantsChangedAsync(CameraGrants grants);

    [Alias("renew-lease")]
    Task<StreamLease> RenewLeaseAsync(string leaseId, AccessDecision decision);

    [Alias("end-lease")]
    Task EndLeaseAsync(string leaseId, string reason);

    /// <summary>
    /// This node stopped the camera's encode to start a more urgent one (<paramref name="forCameraId"/>'s) on CPUs too busy for
    /// both: the leases of its viewers, standing-access viewers who yield to that one, end (encode-yielded), each in the ledger.
    /// </summary>
    [Alias("encode-yielded")]
    Task EncodeYieldedAsync(string[] leaseIds, string forCameraId);

    /// <summary>
    /// Whether the session's lease still holds, asked on every playlist and segment request: its expiry, its grant, and the
    /// rule's current answer for its holder. A lease that no longer holds is ended (leaseRevoked) and refused with the reason.
    /// </summary>
    [Alias("check-session-lease")]
    Task<LeaseCheck> CheckLeaseAsync(string leaseId, string sessionId, bool playlistRequest);

    [Alias("lease")]
    ValueTask<StreamLease?> GetLeaseAsync(string leaseId);

    /// <summary>The session's leases on this camera that still hold (leases that no longer do are ended first).</summary>
    [Alias("session-leases")]
    Task<StreamLease[]> SessionLeasesAsync(string sessionId);

    /// <summary>
    /// Rewinds the session's lease to <paramref name="at"/> inside the relay's window, when the lease holds the recorded-video
    /// right; from then on its media token also reaches the window. Allowed or refused, the rewind is in the ledger.
    /// </summary>
    [Alias("rewind")]
    Task<RewindOutcome> RewindAsync(string leaseId, string sessionId, DateTimeOffset at);

    /// <summary>
    /// A JPEG: the relay's latest frame when it runs, otherwise a one-shot grab, with the camera id, capture time and viewer
    /// burnt in. The caller has decided access.
    /// </summary>
    [Alias("snapshot")]
    Task<CameraSnapshot> SnapshotAsync(AccessSubject subject, AccessRequest request, AccessDecision decision);

    /// <summary>
    /// Exports a clip of the relay's live window (remuxed to MP4, never re-encoded) or a stamped snapshot, with a manifest
    /// signed by this node's evidence key, and writes it to the ledger. The caller has decided access and the right to export.
    /// </summary>
    [Alias("export-evidence")]
    Task<EvidenceReceipt> ExportEvidenceAsync(AccessSubject subject, AccessRequest request, AccessDecision decision, EvidenceRequest evidence);

    /// <summary>
    /// Holds the camera's stream running for the incident (until <paramref name="until"/> at the latest; called again with a
    /// later time, it extends) so that the first viewer finds a ready playlist; grants nobody anything.
    /// </summary>
    [Alias("prewarm-for-incident"), OneWay]
    Task PrewarmAsync(string incidentId, DateTimeOffset until);

    /// <summary>The incident no longer needs the camera warm (closed, or moved away from it); the stream lingers, then stops, if nobody else holds it.</summary>
    [Alias("end-prewarm"), OneWay]
    Task EndPrewarmAsync(string incidentId);

    /// <summary>
    /// Asked by the district for each camera it notes as masked, once the district is active: a camera whose own record no
    /// longer holds the masks is taken offline (withheld from the map and from incidents) from then on, not at its first viewer.
    /// </summary>
    [Alias("confirm-masks-record"), OneWay]
    Task ConfirmMasksRecordAsync();

    /// <param name="cause">Why the camera is offline (<see cref="CameraStatusCauses"/>), shown with its status; null when not known.</param>
    [Alias("set-status-because")]
    Task SetStatusAsync(CameraStatus status, string actor, string? cause = null);

    /// <summary>The camera's status with since when, who set it and why; null for an unknown camera.</summary>
    [Alias("status-report"), ReadOnly]
    ValueTask<CameraStatusReport?> GetStatusReportAsync();

    /// <summary>
    /// An offline camera tried for a picture now, at its district's request: online again (set by <paramref name="actor"/>)
    /// when it gives one, else still offline with the cause the node found. Interleaved, as the snapshot may take the
    /// camera's input timeout twice over and access checks should not queue behind it. The caller has checked the district.
    /// </summary>
    [Alias("check-now"), AlwaysInterleave]
    Task<CameraCheck> CheckNowAsync(string actor);

    /// <summary>A camera its relay took offline is tried again now rather than at its next recheck (its district has just forgotten a certificate pin, say).</summary>
    [Alias("check-again"), OneWay]
    Task CheckAgainAsync();

    /// <summary>The camera's privacy masks (none when it has none).</summary>
    [Alias("masks")]
    ValueTask<CameraMasks> GetMasksAsync();

    /// <summary>
    /// Replaces the camera's privacy masks (none clears them), audited as mask-change; the relay restarts with them, so every
    /// masked viewer sees the new masks at the next segment. The caller has checked that <paramref name="actor"/> manages the district.
    /// </summary>
    [Alias("set-masks")]
    Task<CameraMasks> SetMasksAsync(MaskPolygon[] polygons, string actor);

    /// <summary>
    /// The camera's picture without masks, stamped like a snapshot, for its district's admin to draw masks on; audited as a
    /// snapshot (and an unmasked view when the camera is masked) with the reason mask-editing. The caller has checked the district.
    /// </summary>
    [Alias("mask-editing-frame")]
    Task<CameraSnapshot> MaskEditingFrameAsync(string agencyId, string actor);

    [Alias("grants")]
    ValueTask<IReadOnlyList<AccessGrant>> GetGrantsAsync();
}
