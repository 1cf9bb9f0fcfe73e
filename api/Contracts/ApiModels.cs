using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Sessions;

namespace SafetyNet.Api.Contracts;

public sealed record TokenRequest(string? AgencyId, string? OperatorId, string? Role);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

public sealed record SessionStarted(string SessionId, string AccessToken, DateTimeOffset ExpiresAt, SessionInfo Session);

public sealed record DecisionView(string CameraId, bool Allowed, string Reason, string Explanation, string? GrantId, string? IncidentId, DateTimeOffset? ValidUntil)
{
    public static DecisionView From(AccessDecision d) =>
        new(d.CameraId, d.Allowed, d.Reason, DecisionReasons.Explain(d.Reason), d.GrantId, d.IncidentId, d.ValidUntil);
}

public sealed record NearbyCamera(
    string Id, string DistrictCode, CameraPurpose Purpose, CameraStatus Status, double Latitude, double Longitude,
    double DistanceMeters, double BearingDegrees, double? HeadingDegrees, double? FieldOfViewDegrees, DecisionView Access);

public sealed record NearbyResponse(IReadOnlyList<NearbyCamera> Items);

/// <summary><see cref="RecordedVideoKinds"/>: the agency kinds whose standing access here also lets them rewind (the recorded-video right).</summary>
/// <param name="PolicyFallback">Why the policy shown is not the one the district's admin stored (<see cref="SafetyNet.Contracts.Districts.SharingPolicy.Fallback"/>); null when it is.</param>
public sealed record DistrictDetail(DistrictInfo District, DistrictUsage Usage, int PolicyVersion, IDictionary<string, IDictionary<string, SharingLevel>> SharingPolicy,
    IReadOnlyList<string> RecordedVideoKinds, string? PolicyFallback);

/// <summary>The agency kinds (wire names) whose standing access to the district's cameras also carries the recorded-video right.</summary>
public sealed record RecordedVideoPolicyBody(string[]? AgencyKinds);

public sealed record RecordedVideoPolicyView(string DistrictCode, int PolicyVersion, IReadOnlyList<string> AgencyKinds);

public sealed record PolicyEdited(DistrictInfo District, DistrictUsage Usage, int PolicyVersion,
    IDictionary<string, IDictionary<string, SharingLevel>> SharingPolicy, IReadOnlyList<PolicyCellChange> Changes, string? PolicyFallback);

public sealed record AgencyUpsert(string? Name, AgencyKind? Kind, bool CityWide, string[]? Districts);

/// <summary>A rejected row: its code (ImportRejections) and the values its message names, and the English reason.</summary>
public sealed record ImportRowError(int Row, string? CameraId, string Code, string Reason, IReadOnlyDictionary<string, string> Values);

/// <summary>
/// What an import did. A text list also says the charset it was read in and the one it was declared in (null when none):
/// they differ when a byte order mark said UTF-16, or when a list declared EUC-KR was UTF-8 (MislabelledUtf8).
/// </summary>
public sealed record ImportReport(string Format, int Rows, int Created, int Updated, int Rejected, IReadOnlyList<ImportRowError> Errors,
    string? Charset = null, string? DeclaredCharset = null);
