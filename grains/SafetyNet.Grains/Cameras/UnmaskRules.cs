using SafetyNet.Contracts.Access;

namespace SafetyNet.Grains.Cameras;

/// <summary>
/// The separate right to see a masked camera without its privacy masks, decided after (and only on top of) an allowing
/// access decision: an incident grant that carries it, or a supervisor; either way with a reason for the ledger.
/// </summary>
public static class UnmaskRules
{
    public static AccessDecision Decide(AccessDecision access, bool cameraMasked, IEnumerable<AccessGrant> grants, AccessSubject subject, AccessRequest request)
    {
        if (!access.Allowed || !request.Unmasked || !cameraMasked) return access;
        if (string.IsNullOrWhiteSpace(request.UnmaskedReason)) return AccessDecision.Deny(access.CameraId, DecisionReasons.UnmaskedReasonRequired);
        return Basis(access, grants, subject) is null ? AccessDecision.Deny(access.CameraId, DecisionReasons.UnmaskedNotAllowed) : access with { Unmasked = true };
    }

    /// <summary>What lets the subject see unmasked: the decision's incident grant carrying the right, or being a supervisor; else null.</summary>
    public static string? Basis(AccessDecision access, IEnumerable<AccessGrant> grants, AccessSubject subject) =>
        access.GrantId is { } grantId && grants.Any(g => g.GrantId == grantId && g.Unmasked) ? DecisionReasons.UnmaskedByGrant
        : subject.Supervisor ? DecisionReasons.UnmaskedBySupervisor
        : null;
}
