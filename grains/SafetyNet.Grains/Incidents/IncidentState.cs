using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;

namespace SafetyNet.Grains.Incidents;

[GenerateSerializer, Alias("incident-state")]
public sealed class IncidentState
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
}

[GenerateSerializer, Immutable, Alias("pending-release")]
public sealed record PendingRelease([property: Id(0)] string[] CameraIds, [property: Id(1)] DateTimeOffset At);
