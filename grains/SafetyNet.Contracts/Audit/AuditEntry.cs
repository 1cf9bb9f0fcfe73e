namespace SafetyNet.Contracts.Audit;

/// <summary>One fact for the ledger, before the ledger numbers and chains it.</summary>
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
    [property: Id(9)] string? Details = null);
