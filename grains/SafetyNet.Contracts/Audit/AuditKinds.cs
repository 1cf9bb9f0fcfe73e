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

    /// <summary>A whole-area CAP alert was posted, updated or taken down as a notice (Outcome); Details its identifier and area.</summary>
    public const string AlertNotice = "alert-notice";

    /// <summary>An incident was closed (by a person or by expiry); its grants run out their grace period.</summary>
    public const string IncidentClose = "incident-close";

    /// <summary>Someone downloaded ledger entries (who, which filters, which format).</summary>
    public const string AuditExport = "audit-export";

    /// <summary>A misuse rule fired: Reason is the rule, DistrictCode the district told, Details the flag id and evidence (seqs).</summary>
    public const string MisuseFlag = "misuse-flag";

    /// <summary>A privacy officer or auditor acknowledged a flag: Details the flag id and the note.</summary>
    public const string FlagAcknowledged = "flag-acknowledged";

    /// <summary>A view of a masked camera without its masks, under the separate right to see unmasked.</summary>
    public const string UnmaskedView = "unmasked-view";

    /// <summary>A privacy mask drawn, changed or removed on a camera.</summary>
    public const string MaskChange = "mask-change";

    /// <summary>A viewer rewound into a camera's recent minutes (allowed, or refused with the reason): lease, incident, purpose and target time.</summary>
    public const string Rewind = "rewind";

    /// <summary>A signed evidence export (clip or snapshot) was made.</summary>
    public const string EvidenceExport = "evidence-export";

    /// <summary>An evidence export's files were deleted at the end of the retention period.</summary>
    public const string EvidenceDeleted = "evidence-deleted";

    /// <summary>A monthly review report was produced (district, month, its signature).</summary>
    public const string ReviewReport = "review-report";

    /// <summary>Ledger rows older than the retention period were moved to a signed monthly archive file.</summary>
    public const string LedgerArchived = "ledger-archived";

    /// <summary>
    /// The audit search-key file disagreed with the ledger (keys edited, deleted or forged outside the node) and was rebuilt
    /// from it; Details names the first rows that disagreed.
    /// </summary>
    public const string SearchKeysRepaired = "search-keys-repaired";

    /// <summary>
    /// The node's wall clock stepped by a second or more against its monotonic clock (set by hand, or synchronised after the
    /// machine was paused); Reason gives the step ("forward 11.000 s"), Details the step in seconds and the clock's reading before it. Times written by this node
    /// on either side of the entry differ by the step more than the time that passed.
    /// </summary>
    public const string ClockStep = "clock-step";

    /// <summary>A PTZ command (move, stop, preset, home), allowed or refused, with its camera, lease and the values sent.</summary>
    public const string PtzCommand = "ptz-command";

    /// <summary>A camera's PTZ lock taken, renewed by preemption, released, expired or ended with its lease; Decision says which.</summary>
    public const string PtzLock = "ptz-lock";
}
