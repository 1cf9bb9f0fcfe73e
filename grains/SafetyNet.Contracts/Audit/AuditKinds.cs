namespace SafetyNet.Contracts.Audit;

public static class AuditKinds
{
    public const string AccessDecision = "access-decision";

    /// <summary>One row per nearby or access-overview request: who asked what, how many cameras were judged and allowed. Not a view.</summary>
    public const string AccessPreview = "access-preview";
    public const string PolicyChange = "policy-change";
    public const string Import = "import";
    public const string CameraChange = "camera-change";
    public const string AgencyChange = "agency-change";
    public const string SessionStart = "session-start";
    public const string SessionEnd = "session-end";
    public const string Grant = "grant";
    public const string Revocation = "revocation";
    public const string Lease = "lease";
    public const string View = "view";
    public const string Snapshot = "snapshot";
    public const string Preemption = "preemption";
    public const string IncidentOpen = "incident-open";
    public const string IncidentConfirm = "incident-confirm";

    /// <summary>Someone downloaded ledger entries (who, which filters, which format).</summary>
    public const string AuditExport = "audit-export";
}
