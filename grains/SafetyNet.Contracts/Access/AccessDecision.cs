namespace SafetyNet.Contracts.Access;

/// <summary>
/// The answer to "may session S view camera C for purpose P (under incident I)?". Denied unless a rule allows.
/// <see cref="Unmasked"/>: allowed to see the camera without its privacy masks. <see cref="RecordedVideo"/>: allowed to rewind
/// into the minutes the camera's relay keeps (a separate right: an incident grant that carries it, or the district's policy).
/// <see cref="Ptz"/>: allowed to ask for the
/// camera's PTZ lock and move it (an incident grant that carries the right).
/// </summary>
[GenerateSerializer, Immutable, Alias("access-decision")]
public sealed record AccessDecision(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] string Reason,
    [property: Id(2)] string CameraId,
    [property: Id(3)] string? GrantId = null,
    [property: Id(4)] string? IncidentId = null,
    [property: Id(5)] DateTimeOffset? ValidUntil = null,
    [property: Id(6)] bool Unmasked = false,
    [property: Id(7)] bool RecordedVideo = false,
    [property: Id(8)] bool Ptz = false)
{
    public static AccessDecision Deny(string cameraId, string reason) => new(false, reason, cameraId);
}
