namespace SafetyNet.Contracts.Access;

[GenerateSerializer, Immutable, Alias("access-request")]
public sealed record AccessRequest(
    [property: Id(0)] string CameraId,
    [property: Id(1)] AccessPurpose Purpose,
    [property: Id(2)] string? IncidentId = null);
