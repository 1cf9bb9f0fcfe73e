using System.ComponentModel.DataAnnotations;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Incidents;

namespace SafetyNet.Grains.Configuration;

/// <summary>Section "Incidents": grace periods, the watchdog reminder, and per-type selection defaults ("Incidents:Types:119-dispatch:RadiusMeters").</summary>
public sealed class IncidentOptions : IValidatableObject
{
    public const string Section = "Incidents";

    /// <summary>How long responders keep access after an incident closes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ClosingGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long cameras an incident moved away from stay granted.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MoveGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Period of the durable watchdog reminder that closes forgotten incidents and finishes grace periods after restarts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WatchdogPeriod { get; set; } = TimeSpan.FromMinutes(1);

    public Dictionary<string, IncidentTypeSettings> Types { get; set; } = new();

    public IncidentTypeSettings For(IncidentType type)
    {
        var name = EnumNames<IncidentType>.NameOf(type);
        var defaults = IncidentTypeSettings.DefaultFor(type);
        if (!Types.TryGetValue(name, out var configured)) return defaults;
        return configured with { AgencyKinds = configured.AgencyKinds.Length == 0 ? defaults.AgencyKinds : configured.AgencyKinds };
    }

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
        }
    }
}

/// <summary>How one kind of incident selects cameras and whom it grants, for which purpose, for how long.</summary>
public sealed record IncidentTypeSettings
{
    public int NearestCount { get; init; } = 5;
    public double RadiusMeters { get; init; } = 500;
    public int MaxCameras { get; init; } = 30;
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromHours(6);
    public AccessPurpose GrantPurpose { get; init; } = AccessPurpose.EmergencyResponse;
    public AgencyKind[] AgencyKinds { get; init; } = [];
    public CameraPurpose[]? CameraPurposes { get; init; }

    public static IncidentTypeSettings DefaultFor(IncidentType type) => type switch
    {
        IncidentType.EmergencyVideo112 => new() { AgencyKinds = [AgencyKind.Police112Center, AgencyKind.PoliceStation] },
        IncidentType.Dispatch112 => new() { AgencyKinds = [AgencyKind.Police112Center, AgencyKind.PoliceStation, AgencyKind.PolicePatrol] },
        IncidentType.Dispatch119 => new() { AgencyKinds = [AgencyKind.Fire119Center, AgencyKind.FireStation] },
        IncidentType.DisasterResponse => new()
        {
            NearestCount = 10, RadiusMeters = 1000, MaxCameras = 60, MaxDuration = TimeSpan.FromHours(72),
            GrantPurpose = AccessPurpose.DisasterResponse,
            AgencyKinds = [AgencyKind.DisasterRoom, AgencyKind.Fire119Center, AgencyKind.DistrictControlCenter],
        },
        IncidentType.VulnerableSos => new()
        {
            GrantPurpose = AccessPurpose.VulnerableProtection,
            AgencyKinds = [AgencyKind.VulnerableSupportCenter, AgencyKind.Police112Center, AgencyKind.PoliceStation],
        },
        _ => new(),
    };
}
