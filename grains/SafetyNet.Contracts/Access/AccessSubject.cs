using SafetyNet.Contracts.Agencies;

namespace SafetyNet.Contracts.Access;

/// <summary>
/// Who is asking, as established by the session grain from the authenticated principal; never taken from RequestContext.
/// <see cref="Supervisor"/>: the principal's role is supervisor, who may lift a camera's privacy masks with a reason.
/// </summary>
[GenerateSerializer, Immutable, Alias("access-subject")]
public sealed record AccessSubject(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string OperatorId,
    [property: Id(2)] AgencyInfo Agency,
    [property: Id(3)] bool Supervisor = false);
