namespace SafetyNet.Contracts.Sessions;

[GenerateSerializer, Immutable, Alias("session-info")]
public sealed record SessionInfo(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string AgencyId,
    [property: Id(2)] string OperatorId,
    [property: Id(3)] string Role,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] DateTimeOffset LastHeartbeatAt,
    [property: Id(6)] DateTimeOffset ExpiresAt,
    [property: Id(7)] DateTimeOffset? EndedAt,
    [property: Id(8)] string? EndReason)
{
    public bool IsAliveAt(DateTimeOffset now) => EndedAt is null && now < ExpiresAt;
}
