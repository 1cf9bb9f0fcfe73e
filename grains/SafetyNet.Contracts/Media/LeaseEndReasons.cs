using SafetyNet.Contracts.Access;

namespace SafetyNet.Contracts.Media;

/// <summary>
/// Why a lease ended, as carried by <c>leaseRevoked</c>, the ledger and a refused media request. Besides these, a lease ends
/// with the reason of the access decision that no longer allows it (policy-never, camera-maintenance, …) or of its session's
/// end (session-expired, session-logout).
/// </summary>
public static class LeaseEndReasons
{
    public const string Released = "released";
    public const string Ended = "lease-ended";
    public const string Expired = "lease-expired";
    public const string GrantEnded = "grant-ended";
    public const string Preempted = "preempted";
    public const string EncodeYielded = "encode-yielded";

    private static readonly Dictionary<string, string> Explanations = new()
    {
        [Released] = "The viewer released the lease.",
        [Ended] = "The lease has ended or never existed; request a new one.",
        [Expired] = "The lease was not renewed before it expired; request a new one.",
        [GrantEnded] = "The incident grant this lease was under has ended (the incident closed or moved away from this camera).",
        [Preempted] = "A viewer of a higher-priority incident took this camera's last viewer slot.",
        [EncodeYielded] = "The server relaying this camera had no CPU for another encode, and a viewer of higher priority needed one: this standing-access view of a camera that must be encoded (a privacy mask, or a codec browsers cannot play) gave way.",
    };

    public static string Explain(string reason) =>
        Explanations.TryGetValue(reason, out var text) ? text
        : reason.StartsWith("session-", StringComparison.Ordinal) ? DecisionReasons.Explain(DecisionReasons.SessionExpired)
        : DecisionReasons.Explain(reason);
}
