using SafetyNet.Contracts;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Grains.Cameras;

namespace SafetyNet.Grains.Incidents;

/// <summary>
/// Whether an incident's responders could view a camera: each responder is judged by <see cref="AccessRules"/> itself under
/// the grant the incident gives it, so a camera serves the incident when the rules let at least one of them view it. The
/// policy is per agency kind, so one responder of each kind stands for its kind.
/// </summary>
public sealed class ResponderViewing
{
    public const string NoResponder = "no responding agency";

    private readonly (AccessSubject Subject, AccessGrant Grant)[] _byKind;
    private readonly IReadOnlyDictionary<string, SharingPolicy> _policies;
    private readonly DateTimeOffset _now;

    public ResponderViewing(IEnumerable<(AgencyInfo Agency, AccessGrant Grant)> responders, IReadOnlyDictionary<string, SharingPolicy> policies, DateTimeOffset now)
    {
        // The rules judge the agency, so the subject has no session: operators' sessions are checked before the rules, at each view.
        _byKind = responders.GroupBy(r => r.Agency.Kind).OrderBy(g => EnumNames<AgencyKind>.NameOf(g.Key), StringComparer.Ordinal)
            .Select(g => g.First()).Select(r => (new AccessSubject("", "", r.Agency), r.Grant)).ToArray();
        _policies = policies;
        _now = now;
    }

    /// <summary>Null when at least one responder could view the camera; otherwise why none could, by kind ("policy-never for fire-119-center, fire-station").</summary>
    public string? WhyNoneCanView(CameraInfo camera)
    {
        if (_byKind.Length == 0) return NoResponder;
        if (!_policies.TryGetValue(camera.DistrictCode, out var policy)) return DecisionReasons.NoRule;
        List<(string Reason, AgencyKind Kind)>? refusals = null;
        foreach (var (subject, grant) in _byKind)
        {
            var decision = AccessRules.Decide(camera, policy, [grant], subject, new AccessRequest(camera.Id, grant.Purpose, grant.IncidentId), _now);
            if (decision.Allowed) return null;
            (refusals ??= []).Add((decision.Reason, subject.Agency.Kind));
        }
        return string.Join("; ", refusals!.GroupBy(r => r.Reason)
            .Select(g => $"{g.Key} for {string.Join(", ", g.Select(r => EnumNames<AgencyKind>.NameOf(r.Kind)))}"));
    }
}
