namespace SafetyNet.Api.Contracts;

public sealed record LeaseRequestBody(string? Purpose, string? IncidentId);

/// <summary>
/// A lease as the viewer sees it. <see cref="PlaylistUrl"/> stays the same across renewals and plays while the right lasts;
/// <see cref="ExpiresInSeconds"/> is the time left when answered, so a client can renew ahead of expiry whatever its clock says.
/// </summary>
public sealed record LeaseView(string LeaseId, string CameraId, DateTimeOffset ExpiresAt, string PlaylistUrl, string SnapshotUrl, string Token, string Reason,
    double ExpiresInSeconds);
