namespace SafetyNet.Api.Contracts;

public sealed record LeaseRequestBody(string? Purpose, string? IncidentId);

public sealed record LeaseView(string LeaseId, string CameraId, DateTimeOffset ExpiresAt, string PlaylistUrl, string SnapshotUrl, string Token, string Reason);
