namespace SafetyNet.Contracts.Access;

/// <summary>Machine-readable reasons carried by every access decision and audit row.</summary>
public static class DecisionReasons
{
    public const string StandingPolicy = "standing-policy";
    public const string IncidentGrant = "incident-grant";
    public const string NoRule = "no-rule";
    public const string PolicyNever = "policy-never";
    public const string IncidentRequired = "incident-required";
    public const string OutsideJurisdiction = "outside-jurisdiction";
    public const string SessionExpired = "session-expired";
    public const string SessionRequired = "session-required";
    public const string SessionMismatch = "session-mismatch";
    public const string CameraOffline = "camera-offline";
    public const string CameraMaintenance = "camera-maintenance";
    public const string UnknownCamera = "unknown-camera";
    public const string InvalidRecord = "invalid-record";
    public const string MasksLost = "masks-record-lost";
    public const string UnmaskedNotAllowed = "unmasked-not-allowed";
    public const string UnmaskedReasonRequired = "unmasked-reason-required";
    public const string UnmaskedByGrant = "unmasked-by-incident-grant";
    public const string UnmaskedBySupervisor = "unmasked-by-supervisor";
    public const string RecordedVideoNotAllowed = "recorded-video-not-allowed";
    public const string RecordedVideoByGrant = "recorded-video-by-incident-grant";
    public const string RecordedVideoByPolicy = "recorded-video-by-district-policy";
    public const string RewindOutsideWindow = "rewind-outside-window";
    public const string EvidenceNeedsIncident = "evidence-needs-incident";
    public const string EvidenceNeedsLease = "evidence-needs-lease";

    private static readonly Dictionary<string, string> Explanations = new()
    {
        [StandingPolicy] = "The district's sharing policy gives this agency standing access to this camera.",
        [IncidentGrant] = "An open incident grants this agency access to this camera for this purpose.",
        [NoRule] = "No policy rule or incident grant allows this access.",
        [PolicyNever] = "The district never shares cameras of this purpose with this kind of agency.",
        [IncidentRequired] = "Allowed only during an incident: no open incident grants this agency access to this camera for this purpose.",
        [OutsideJurisdiction] = "Standing access covers only the agency's own jurisdiction; this camera is outside it.",
        [SessionExpired] = "The operator session has expired or was logged out; start a new session.",
        [SessionRequired] = "No operator session: start one with POST /api/v1/sessions and use the token it returns.",
        [SessionMismatch] = "The session belongs to another operator or agency.",
        [CameraOffline] = "The camera is offline.",
        [CameraMaintenance] = "The camera is in maintenance.",
        [UnknownCamera] = "No camera has this id.",
        [UnmaskedNotAllowed] = "Seeing this camera without its privacy masks is a separate right: it needs an incident grant that carries it, or a supervisor.",
        [UnmaskedReasonRequired] = "Seeing a camera without its privacy masks needs a reason, which goes to the ledger.",
        [UnmaskedByGrant] = "An open incident grants this agency the camera without its privacy masks.",
        [UnmaskedBySupervisor] = "A supervisor lifted this camera's privacy masks, with a reason in the ledger.",
        [InvalidRecord] = "The camera's or agency's stored record holds a value the rules do not know; an administrator must correct it.",
        [MasksLost] = "The camera's district notes privacy masks that its stored record no longer holds as last set (deleted, or replaced by an older copy, in the database); " +
            "nothing is shown from it until its district's admin sets the masks again.",
        [RecordedVideoNotAllowed] = "Rewinding into the minutes a camera's relay keeps is a separate right, the recorded-video right: it needs an " +
            "incident grant whose type carries it, or standing access in a district whose policy lets this agency kind rewind.",
        [RecordedVideoByGrant] = "An open incident grants this agency the right to rewind this camera's recent minutes.",
        [RecordedVideoByPolicy] = "The district's policy lets this agency kind rewind cameras it has standing access to.",
        [RewindOutsideWindow] = "The time asked for is outside the minutes the camera's relay keeps.",
        [EvidenceNeedsIncident] = "Evidence is exported only for an incident: give the incident's id.",
        [EvidenceNeedsLease] = "An operator exports evidence only from a camera this session is watching (an open lease); a supervisor needs none.",
    };

    public static string Explain(string reason) => Explanations.GetValueOrDefault(reason, reason);
}
