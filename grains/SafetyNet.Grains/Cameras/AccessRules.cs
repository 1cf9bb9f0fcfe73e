using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Grains.Cameras;

/// <summary>
/// The access decision as a pure function, so that the whole matrix can be tested without a cluster.
/// Order matters: the camera must be usable, the district must share this purpose with this kind of agency at all,
/// and then either an incident grant or standing access (inside the agency's jurisdiction) allows. Anything else is denied.
/// </summary>
public static class AccessRules
{
    public static AccessDecision Decide(CameraInfo camera, SharingPolicy policy, IEnumerable<AccessGrant> grants,
        AccessSubject subject, AccessRequest request, DateTimeOffset now)
    {
        // A value stored out of range (an old database, a hand edit) matches no rule: deny rather than guess.
        if (!Enum.IsDefined(camera.Status) || !Enum.IsDefined(camera.Purpose) || !Enum.IsDefined(subject.Agency.Kind) || !Enum.IsDefined(request.Purpose))
            return AccessDecision.Deny(camera.Id, DecisionReasons.InvalidRecord);
        if (camera.Status == CameraStatus.Offline) return AccessDecision.Deny(camera.Id, DecisionReasons.CameraOffline);
        if (camera.Status == CameraStatus.Maintenance) return AccessDecision.Deny(camera.Id, DecisionReasons.CameraMaintenance);

        var level = policy.LevelFor(subject.Agency.Kind, camera.Purpose);
        if (level == SharingLevel.Never) return AccessDecision.Deny(camera.Id, DecisionReasons.PolicyNever);

        // The matching grant that lasts longest (the first of equals), in a plain loop: this runs on every decision.
        AccessGrant? grant = null;
        foreach (var g in grants)
        {
            if (g.AgencyId == subject.Agency.Id && g.Purpose == request.Purpose && g.IsActiveAt(now)
                && (request.IncidentId is null || g.IncidentId == request.IncidentId)
                && (grant is null || g.ExpiresAt > grant.ExpiresAt))
                grant = g;
        }
        if (grant is not null)
            return new AccessDecision(true, DecisionReasons.IncidentGrant, camera.Id, grant.GrantId, grant.IncidentId, grant.ExpiresAt, Ptz: grant.Ptz);

        if (level == SharingLevel.Standing)
            return subject.Agency.HasJurisdictionOver(camera.DistrictCode)
                ? new AccessDecision(true, DecisionReasons.StandingPolicy, camera.Id)
                : AccessDecision.Deny(camera.Id, DecisionReasons.OutsideJurisdiction);

        return AccessDecision.Deny(camera.Id, level == SharingLevel.DuringIncident ? DecisionReasons.IncidentRequired : DecisionReasons.NoRule);
    }
}
