namespace SafetyNet.Contracts.Access;

/// <summary>
/// <see cref="Unmasked"/> asks to see a masked camera without its privacy masks, a separate right (an incident grant that carries
/// it, or a supervisor); <see cref="UnmaskedReason"/> is why, and goes to the ledger.
/// </summary>
[GenerateSerializer, Immutable, Alias("access-request")]
public sealed record AccessRequest(
    [property: Id(0)] string CameraId,
    [property: Id(1)] AccessPurpose Purpose,
    [property: Id(2)] string? IncidentId = null,
    [property: Id(3)] bool Unmasked = false,
    [property: Id(4)] string? UnmaskedReason = null);
