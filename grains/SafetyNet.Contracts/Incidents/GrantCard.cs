namespace SafetyNet.Contracts.Incidents;

/// <summary>
/// An <c>accessGranted</c> event as wall screens hear it: which incident granted which agency how many cameras until when.
/// A wall only learns from it that its access changed; the camera ids (most of a grant event's bytes) reach the screens
/// that opened the incident, in its whole events, and anyone in the access overview.
/// </summary>
public sealed record GrantCard(string IncidentId, string AgencyId, int CameraCount, DateTimeOffset ExpiresAt);
