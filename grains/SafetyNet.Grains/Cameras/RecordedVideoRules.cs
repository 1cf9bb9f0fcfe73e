using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Grains.Cameras;

/// <summary>
/// The separate right to rewind into the minutes a relay keeps, decided after (and only on top of) an allowing access
/// decision: the decision's incident grant carries it, or the subject has standing access and the district's policy lets
/// its agency kind rewind. Nothing else (not being a supervisor, not the unmasked right) gives it.
/// </summary>
public static class RecordedVideoRules
{
    public static AccessDecision Decide(AccessDecision access, CameraInfo camera, SharingPolicy policy, IEnumerable<AccessGrant> grants, AgencyInfo agency) =>
        access.Allowed && Basis(access, camera, policy, grants, agency) is not null ? access with { RecordedVideo = true } : access with { RecordedVideo = false };

    /// <summary>What lets the subject rewind this camera (a reason for the ledger), or null.</summary>
    public static string? Basis(AccessDecision access, CameraInfo camera, SharingPolicy policy, IEnumerable<AccessGrant> grants, AgencyInfo agency) =>
        !access.Allowed ? null
        : access.GrantId is { } grantId && grants.Any(g => g.GrantId == grantId && g.RecordedVideo) ? DecisionReasons.RecordedVideoByGrant
        : policy.StandingRewindFor(agency.Kind) && policy.LevelFor(agency.Kind, camera.Purpose) == SharingLevel.Standing
          && agency.HasJurisdictionOver(camera.DistrictCode) ? DecisionReasons.RecordedVideoByPolicy
        : null;
}
