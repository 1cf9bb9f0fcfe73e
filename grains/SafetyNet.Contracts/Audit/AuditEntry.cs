namespace SafetyNet.Contracts.Audit;

/// <summary>
/// One fact for the ledger, before the ledger numbers and chains it. <see cref="DistrictCode"/> is the district the fact
/// concerns (the camera's owner for a camera; filled in by the ledger from the catalog when a camera is named and it is
/// not given), so a district's privacy officer reads its own entries and nothing else.
/// </summary>
[GenerateSerializer, Immutable, Alias("audit-entry")]
public sealed record AuditEntry(
    [property: Id(0)] DateTimeOffset OccurredAt,
    [property: Id(1)] string Kind,
    [property: Id(2)] string? Outcome = null,
    [property: Id(3)] string? Reason = null,
    [property: Id(4)] string? CameraId = null,
    [property: Id(5)] string? AgencyId = null,
    [property: Id(6)] string? SessionId = null,
    [property: Id(7)] string? IncidentId = null,
    [property: Id(8)] string? Actor = null,
    [property: Id(9)] string? Details = null,
    [property: Id(10)] string? DistrictCode = null,
    [property: Id(11)] string? Purpose = null,
    [property: Id(12)] string? Justification = null);
