using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;

namespace SafetyNet.Grains.Incidents;

[GenerateSerializer, Alias("incident-state")]
public sealed partial class IncidentState
{
    [Id(0)] public OpenIncident? Request { get; set; }
    [Id(1)] public IncidentStatus Status { get; set; }
    [Id(2)] public GeoPoint Position { get; set; }
    [Id(3)] public string DistrictCode { get; set; } = "";
    [Id(4)] public int Priority { get; set; }
    [Id(5)] public List<string> Agencies { get; set; } = [];
    [Id(6)] public double RadiusMeters { get; set; }
    [Id(7)] public List<SelectedCamera> Cameras { get; set; } = [];
    [Id(8)] public List<AccessGrant> Grants { get; set; } = [];
    [Id(9)] public List<TimelineEntry> Timeline { get; set; } = [];
    [Id(10)] public DateTimeOffset OpenedAt { get; set; }
    [Id(11)] public DateTimeOffset ExpiresAt { get; set; }
    [Id(12)] public DateTimeOffset? ClosedAt { get; set; }
    [Id(13)] public DateTimeOffset? GraceUntil { get; set; }

    /// <summary>Cameras left behind by a move, released (and announced) when their grace ends.</summary>
    [Id(14)] public List<PendingRelease> PendingReleases { get; set; } = [];

    /// <summary>Null in incidents opened before openers were recorded; the first timeline entry names them.</summary>
    [Id(15)] public IncidentActor? OpenedBy { get; set; }

    /// <summary>The opener's agency as it was at opening: its jurisdiction bounds the grants until a supervisor confirms.</summary>
    [Id(16)] public AgencyInfo? OpenerAgency { get; set; }

    [Id(17)] public string? Justification { get; set; }
    [Id(18)] public bool PendingReview { get; set; }

    /// <summary>Responders that are granted only when a supervisor confirms.</summary>
    [Id(19)] public List<string> PendingAgencies { get; set; } = [];

    [Id(20)] public string[] ReviewingAgencies { get; set; } = [];
    [Id(21)] public string? ConfirmedBy { get; set; }
    [Id(22)] public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>Local responders a move left behind: they keep their grant until <see cref="Departure.At"/>, then leave.</summary>
    [Id(23)] public List<Departure> Departures { get; set; } = [];

    /// <summary>The radius and priority someone set by hand (an escalation), which an alert's update never goes below.</summary>
    [Id(24)] public double? RadiusSetByHand { get; set; }

    [Id(25)] public int? PrioritySetByHand { get; set; }
}

[GenerateSerializer, Immutable, Alias("responder-departure")]
public sealed record Departure([property: Id(0)] string AgencyId, [property: Id(1)] DateTimeOffset At);

[GenerateSerializer, Immutable, Alias("pending-release")]
public sealed record PendingRelease([property: Id(0)] string[] CameraIds, [property: Id(1)] DateTimeOffset At);
