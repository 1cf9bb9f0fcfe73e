namespace SafetyNet.Api.Contracts;

/// <summary><see cref="Unmasked"/> asks to see a masked camera without its masks (a separate right); <see cref="Reason"/> is then required.</summary>
public sealed record LeaseRequestBody(string? Purpose, string? IncidentId, bool? Unmasked = null, string? Reason = null);

/// <summary>
/// A lease as the viewer sees it. <see cref="PlaylistUrl"/> stays the same across renewals and plays while the right lasts;
/// <see cref="ExpiresInSeconds"/> is the time left when answered, so a client can renew ahead of expiry whatever its clock says.
/// <see cref="Unmasked"/>: the lease sees a masked camera without its masks; every other lease of a masked camera gets it masked.
/// <see cref="Ptz"/>: the lease carries the right to take the camera's PTZ lock and turn it.
/// <see cref="LiveUrl"/> is the low-latency path (a WebSocket of fragmented MP4) beside the HLS playlist, under the same token.
/// </summary>
public sealed record LeaseView(string LeaseId, string CameraId, DateTimeOffset ExpiresAt, string PlaylistUrl, string SnapshotUrl, string Token, string Reason,
    double ExpiresInSeconds, bool Unmasked, string LiveUrl, bool Ptz = false);
