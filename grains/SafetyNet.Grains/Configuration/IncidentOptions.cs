using System.ComponentModel.DataAnnotations;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Incidents;

namespace SafetyNet.Grains.Configuration;

/// <summary>
/// Section "Incidents": grace periods, the watchdog reminder, and per type its selection defaults and its authority table
/// ("Incidents:Types:119-dispatch:RadiusMeters", "Incidents:Types:112-dispatch:OpenerKinds:0").
/// </summary>
public sealed class IncidentOptions : IValidatableObject
{
    public const string Section = "Incidents";

    /// <summary>How long responders keep access after an incident closes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ClosingGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long cameras an incident moved away from, and local responders it left behind, stay granted.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MoveGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long incident lists keep showing an incident after it closed, however long it was open.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan ClosedListRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Period of the durable watchdog reminder that closes forgotten incidents and finishes grace periods after restarts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WatchdogPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Per type, keyed by its wire name. Every type starts from its defaults, so configuring one key keeps the others;
    /// <see cref="IncidentTypeSettings.OpenerKinds"/> and <see cref="IncidentTypeSettings.AgencyKinds"/> replace the default
    /// table when given (configuration appends to arrays, so the defaults are filled in by <see cref="For"/>, not here).
    /// </summary>
    public Dictionary<string, IncidentTypeSettings> Types { get; set; } = Enum.GetValues<IncidentType>()
        .ToDictionary(EnumNames<IncidentType>.NameOf, IncidentTypeSettings.DefaultFor, StringComparer.OrdinalIgnoreCase);

    public IncidentTypeSettings For(IncidentType type)
    {
        var configured = Types.TryGetValue(EnumNames<IncidentType>.NameOf(type), out var settings) ? settings : IncidentTypeSettings.DefaultFor(type);
        return configured with
        {
            AgencyKinds = configured.AgencyKinds.Length == 0 ? Names(IncidentTypeSettings.DefaultResponderKinds(type)) : configured.AgencyKinds,
            OpenerKinds = configured.OpenerKinds.Length == 0 ? Names(IncidentTypeSettings.DefaultOpenerKinds(type)) : configured.OpenerKinds,
        };
    }

    private static string[] Names(AgencyKind[] kinds) => kinds.Select(EnumNames<AgencyKind>.NameOf).ToArray();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, settings) in Types)
        {
            if (!EnumNames<IncidentType>.TryParse(name, out _))
                yield return new ValidationResult($"Incidents:Types has unknown incident type '{name}'.");
            if (settings.NearestCount is < 0 or > 100 || settings.RadiusMeters is < 0 or > 5000 || settings.MaxCameras is < 1 or > 500)
                yield return new ValidationResult($"Incidents:Types:{name}: NearestCount 0-100, RadiusMeters 0-5000, MaxCameras 1-500.");
            if (settings.MaxDuration <= TimeSpan.Zero)
                yield return new ValidationResult($"Incidents:Types:{name}:MaxDuration must be positive.");
            foreach (var (key, kinds) in new[] { ("AgencyKinds", settings.AgencyKinds), ("OpenerKinds", settings.OpenerKinds) })
                foreach (var kind in kinds.Where(k => !EnumNames<AgencyKind>.TryParse(k, out _)))
                    yield return new ValidationResult($"Incidents:Types:{name}:{key} has unknown agency kind '{kind}'; expected {EnumNames<AgencyKind>.Expected}.");
        }
    }
}

/// <summary>
/// How one kind of incident selects cameras and whom it grants, for which purpose, for how long; and who has authority over
/// it: the agency kinds that may open it (<see cref="OpenerKinds"/>) and the kinds that respond (<see cref="AgencyKinds"/>).
/// </summary>
public sealed record IncidentTypeSettings
{
    public int NearestCount { get; init; } = 5;
    public double RadiusMeters { get; init; } = 500;
    public int MaxCameras { get; init; } = 30;
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromHours(6);
    public AccessPurpose GrantPurpose { get; init; } = AccessPurpose.EmergencyResponse;

    /// <summary>Whether this type's grants carry the right to see cameras without their privacy masks (with a reason, per view).</summary>
    public bool GrantsUnmasked { get; init; }

    /// <summary>Whether this type's grants carry the recorded-video right: rewinding into the minutes a camera's relay keeps.</summary>
    public bool GrantsRecordedVideo { get; init; }

    /// <summary>Whether this type's grants carry the right to turn the cameras (PTZ); re-aiming public CCTV needs this authority.</summary>
    public bool GrantsPtz { get; init; }

    /// <summary>
    /// The responding kinds, by wire name ("police-station"): city-wide centers of these kinds, and local agencies of these
    /// kinds with jurisdiction over the place. (Names, not enum values: configuration binding drops array items it cannot
    /// convert without a word, so the names are checked in <see cref="IncidentOptions.Validate"/> instead.)
    /// </summary>
    public string[] AgencyKinds { get; init; } = [];

    /// <summary>The kinds whose dispatch systems, operators and supervisors may open this type, by wire name; everyone else gets 403.</summary>
    public string[] OpenerKinds { get; init; } = [];

    public CameraPurpose[]? CameraPurposes { get; init; }

    public bool Responds(AgencyKind kind) => AgencyKinds.Contains(EnumNames<AgencyKind>.NameOf(kind), StringComparer.OrdinalIgnoreCase);

    public bool MayOpen(AgencyKind kind) => OpenerKinds.Contains(EnumNames<AgencyKind>.NameOf(kind), StringComparer.OrdinalIgnoreCase);

    /// <summary>Selection, lifetime and purpose defaults; the kinds come from <see cref="DefaultResponderKinds"/> and <see cref="DefaultOpenerKinds"/>.</summary>
    public static IncidentTypeSettings DefaultFor(IncidentType type) => type switch
    {
        IncidentType.DisasterResponse => new()
        {
            NearestCount = 10, RadiusMeters = 1000, MaxCameras = 60, MaxDuration = TimeSpan.FromHours(72),
            GrantPurpose = AccessPurpose.DisasterResponse,
        },
        IncidentType.VulnerableSos => new() { GrantPurpose = AccessPurpose.VulnerableProtection },
        // A 112 emergency-video call is what rewinding is for: the minutes just before the call.
        IncidentType.EmergencyVideo112 => new() { GrantsRecordedVideo = true },
        _ => new(),
    };

    public static AgencyKind[] DefaultResponderKinds(IncidentType type) => type switch
    {
        IncidentType.EmergencyVideo112 => [AgencyKind.Police112Center, AgencyKind.PoliceStation],
        IncidentType.Dispatch112 => [AgencyKind.Police112Center, AgencyKind.PoliceStation, AgencyKind.PolicePatrol],
        IncidentType.Dispatch119 => [AgencyKind.Fire119Center, AgencyKind.FireStation],
        IncidentType.DisasterResponse => [AgencyKind.DisasterRoom, AgencyKind.Fire119Center, AgencyKind.DistrictControlCenter],
        // The SOS centre, with police and fire notified.
        IncidentType.VulnerableSos => [AgencyKind.VulnerableSupportCenter, AgencyKind.Police112Center, AgencyKind.PoliceStation, AgencyKind.Fire119Center],
        _ => [],
    };

    /// <summary>Each service's own situation room opens its incidents; CAP alerts open disaster incidents through the disaster room.</summary>
    public static AgencyKind[] DefaultOpenerKinds(IncidentType type) => type switch
    {
        IncidentType.EmergencyVideo112 or IncidentType.Dispatch112 => [AgencyKind.Police112Center],
        IncidentType.Dispatch119 => [AgencyKind.Fire119Center],
        IncidentType.DisasterResponse => [AgencyKind.DisasterRoom],
        IncidentType.VulnerableSos => [AgencyKind.VulnerableSupportCenter],
        _ => [],
    };
}
