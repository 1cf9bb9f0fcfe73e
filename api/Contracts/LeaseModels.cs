namespace SafetyNet.Api.Contracts;

/// <summary><see cref="Unmasked"/> asks to see a masked camera without its masks (a separate right); <see cref="Reason"/> is then required.</summary>
public sealed record LeaseRequestBody(string? Purpose, string? IncidentId, bool? Unmasked = null, string? Reason = null);

/// <summary>
/// A lease as the viewer sees it. <see cref="PlaylistUrl"/> stays the same across renewals and plays while the right lasts;
/// <see cref="ExpiresInSeconds"/> is the time left when answered, so a client can renew ahead of expiry whatever its clock says.
/// <see cref="Unmasked"/>: the lease sees a masked camera without its masks; every other lease of a masked camera gets it masked.
/// <see cref="Ptz"/>: the lease carries the right to take the camera's PTZ lock and turn it.
/// <see cref="LiveUrl"/> is the low-latency path (a WebSocket of fragmented MP4) beside the HLS playlist, under the same token.
/// <see cref="RecordedVideo"/>: the lease may rewind (POST /api/v1/leases/{id}/rewind) into the minutes the relay keeps.
/// </summary>
public sealed record LeaseView(string LeaseId, string CameraId, DateTimeOffset ExpiresAt, string PlaylistUrl, string SnapshotUrl, string Token, string Reason,
    double ExpiresInSeconds, bool Unmasked, string LiveUrl, bool RecordedVideo, bool Ptz = false);

/// <summary>Where to rewind to: <see cref="At"/> (a wall-clock time) or <see cref="SecondsBack"/> from now, exactly one of them.</summary>
public sealed record RewindRequestBody(DateTimeOffset? At = null, double? SecondsBack = null);

/// <summary>
/// A rewind allowed: <see cref="WindowPlaylistUrl"/> plays the whole window the relay keeps (from <see cref="WindowStart"/> to
/// <see cref="WindowEnd"/>), each segment stamped with #EXT-X-PROGRAM-DATE-TIME, so the player seeks to <see cref="At"/> by it.
/// </summary>
public sealed record RewindView(string LeaseId, string CameraId, DateTimeOffset At, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, string WindowPlaylistUrl);
