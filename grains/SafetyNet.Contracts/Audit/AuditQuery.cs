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
    [property: Id(9)] string? Outcome = null,
    [property: Id(10)] string? DistrictCode = null,
    [property: Id(11)] string? Purpose = null,
    [property: Id(12)] AuditScope? Scope = null,
    [property: Id(13)] long? BeforeSeq = null);

/// <summary>
/// What a caller may read of the ledger; null in a query means everything (a city-wide auditor). A district's privacy
/// officer reads the entries about its districts' cameras, and those about no camera's district made by its agencies;
/// a district admin (<see cref="CamerasOnly"/>) reads only the entries about its own cameras.
/// </summary>
[GenerateSerializer, Immutable, Alias("audit-scope")]
public sealed record AuditScope(
    [property: Id(0)] IReadOnlyList<string> DistrictCodes,
    [property: Id(1)] IReadOnlyList<string> AgencyIds,
    [property: Id(2)] bool CamerasOnly = false);

[GenerateSerializer, Immutable, Alias("audit-page")]
public sealed record AuditPage(
    [property: Id(0)] IReadOnlyList<AuditRecord> Items,
    [property: Id(1)] int Page,
    [property: Id(2)] int PageSize,
    [property: Id(3)] bool HasMore);

/// <summary>
/// The result of walking every shard's chain and comparing it with the signed checkpoints: intact, or the first broken
/// row (<see cref="FirstBrokenSeq"/>, its position in <see cref="BrokenShard"/>) and/or checkpoint
/// (<see cref="BrokenCheckpoint"/>) and why. <see cref="UncheckpointedRecords"/> rows, summed over the shards, are only
/// hash-chained so far. <see cref="SearchKeysDisagreeing"/> names rows (at most ten) whose search keys, kept beside an
/// embedded node's ledger, disagreed with the ledger: the ledger itself is intact, and the keys are rebuilt from it.
/// </summary>
[GenerateSerializer, Immutable, Alias("chain-verification")]
public sealed record ChainVerification(
    [property: Id(0)] bool Intact,
    [property: Id(1)] long RecordsChecked,
    [property: Id(2)] long? FirstBrokenSeq,
    [property: Id(3)] string? Problem,
    [property: Id(4)] long CheckpointsChecked = 0,
    [property: Id(5)] CheckpointReference? LastCheckpoint = null,
    [property: Id(6)] long UncheckpointedRecords = 0,
    [property: Id(7)] CheckpointReference? BrokenCheckpoint = null,
    [property: Id(8)] long UntrustedCheckpoints = 0,
    [property: Id(9)] string? BrokenShard = null,
    [property: Id(10)] IReadOnlyList<long>? SearchKeysDisagreeing = null);
