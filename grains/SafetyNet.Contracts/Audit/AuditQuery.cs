namespace SafetyNet.Contracts.Audit;

[GenerateSerializer, Immutable, Alias("audit-query")]
public sealed record AuditQuery(
    [property: Id(0)] string? CameraId,
    [property: Id(1)] string? AgencyId,
    [property: Id(2)] string? SessionId,
    [property: Id(3)] string? IncidentId,
    [property: Id(4)] DateTimeOffset? From,
    [property: Id(5)] DateTimeOffset? To,
    [property: Id(6)] int Page,
    [property: Id(7)] int PageSize,
    [property: Id(8)] string? Kind = null,
    [property: Id(9)] string? Outcome = null);

[GenerateSerializer, Immutable, Alias("audit-page")]
public sealed record AuditPage(
    [property: Id(0)] IReadOnlyList<AuditRecord> Items,
    [property: Id(1)] int Page,
    [property: Id(2)] int PageSize,
    [property: Id(3)] bool HasMore);

/// <summary>The result of walking the chain: intact, or the first sequence number whose link is broken.</summary>
[GenerateSerializer, Immutable, Alias("chain-verification")]
public sealed record ChainVerification(
    [property: Id(0)] bool Intact,
    [property: Id(1)] long RecordsChecked,
    [property: Id(2)] long? FirstBrokenSeq,
    [property: Id(3)] string? Problem);
