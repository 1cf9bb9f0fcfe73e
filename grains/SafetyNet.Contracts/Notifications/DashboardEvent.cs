namespace SafetyNet.Contracts.Notifications;

/// <summary>
/// One event for situation-room dashboards. <see cref="Agencies"/> is the audience: only connections of those agencies
/// receive it (a district event goes to the district's subscribers instead). <see cref="PayloadJson"/> is the message body.
/// An <see cref="AuditorsOnly"/> event (a misuse flag) goes to the district's privacy officers and the city-wide auditors alone.
/// Every event is numbered by its stream's sequencer (<see cref="EventStreams"/>): <see cref="Sequence"/> within
/// <see cref="Epoch"/> (one epoch per sequencer activation), so a dashboard can tell that it missed one and read that
/// stream's state again. An incident's own events also carry <see cref="CardJson"/>, the <c>IncidentCard</c> that an
/// agency's wall screens receive instead of the whole view (<see cref="PayloadJson"/>, for screens that opened the incident);
/// a grant carries its <c>GrantCard</c> (a count instead of the camera ids).
/// </summary>
[GenerateSerializer, Immutable, Alias("dashboard-event")]
public sealed record DashboardEvent(
    [property: Id(0)] string Name,
    [property: Id(1)] string? IncidentId,
    [property: Id(2)] string? DistrictCode,
    [property: Id(3)] string[] Agencies,
    [property: Id(4)] string PayloadJson,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] bool AuditorsOnly = false,
    [property: Id(7)] long Sequence = 0,
    [property: Id(8)] string? Epoch = null,
    [property: Id(9)] string? CardJson = null)
{
    public bool IsSequenced => Epoch is not null;
}

public static class DashboardEventNames
{
    public const string IncidentOpened = "incidentOpened";
    public const string IncidentUpdated = "incidentUpdated";
    public const string IncidentClosed = "incidentClosed";
    public const string AccessGranted = "accessGranted";
    public const string AccessRevoked = "accessRevoked";
    public const string CameraStatusChanged = "cameraStatusChanged";
    public const string LeaseRevoked = "leaseRevoked";
    public const string PtzPreempted = "ptzPreempted";
    public const string AlertNoticePosted = "alertNoticePosted";
    public const string AlertNoticeEnded = "alertNoticeEnded";
    public const string MisuseFlagRaised = "misuseFlagRaised";
    public const string MisuseFlagAcknowledged = "misuseFlagAcknowledged";

    /// <summary>A stream sequencer's heartbeat: its epoch and the number of its latest event, so a lost tail is noticed too.</summary>
    public const string SequencePosition = "sequencePosition";

    /// <summary>
    /// Wall screens (SubscribeIncidentCards) receive their agency's events as one message per delivery from its sequencer:
    /// an array of <c>{name, payload}</c> in number order, as GPSTracker sends its batches.
    /// </summary>
    public const string Batch = "events";
}
