using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Misuse;

/// <summary>Section "Misuse": the thresholds of the misuse rules run over the audit ledger, and how often they run.</summary>
public sealed class MisuseOptions : IValidatableObject
{
    public const string Section = "Misuse";

    /// <summary>How often the rule runner reads the ledger entries appended since it last looked.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "Misuse:PollInterval must be between 00:00:00.100 and 00:01:00.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The zone unusual hours are reckoned in.</summary>
    [Required(AllowEmptyStrings = false)]
    public string TimeZone { get; set; } = "Asia/Seoul";

    /// <summary>First local hour (0-23) counted as unusual; with <see cref="UnusualHoursEnd"/> 6, 0 means 00:00-05:59.</summary>
    [Range(0, 23, ErrorMessage = "Misuse:UnusualHoursStart must be an hour from 0 to 23.")]
    public int UnusualHoursStart { get; set; }

    /// <summary>First local hour (0-23) no longer unusual; below the start, the range wraps past midnight (22 to 6).</summary>
    [Range(0, 23, ErrorMessage = "Misuse:UnusualHoursEnd must be an hour from 0 to 23.")]
    public int UnusualHoursEnd { get; set; } = 6;

    /// <summary>Views without an incident at unusual hours, within <see cref="ViewWindow"/>, that raise a flag.</summary>
    [Range(1, 10_000)]
    public int UnusualHoursViews { get; set; } = 3;

    /// <summary>The sliding window for unusual-hours views and for distinct cameras per operator.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ViewWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Distinct cameras one operator views without an incident within <see cref="ViewWindow"/> that raise a flag.</summary>
    [Range(2, 100_000)]
    public int DistinctCameras { get; set; } = 20;

    /// <summary>Views of one camera, or of cameras within <see cref="PlaceRadiusMeters"/> of it, without an incident, that raise a flag.</summary>
    [Range(2, 10_000)]
    public int RepeatedViews { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan RepeatedViewsWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Cameras this close to each other count as one place.</summary>
    [Range(0, 5_000)]
    public double PlaceRadiusMeters { get; set; } = 100;

    /// <summary>An incident a person opened and no supervisor confirmed after this long is flagged.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan UnconfirmedAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A person's incident closed within this long of its opening, with views in between, is flagged.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan QuickCloseWithin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Denied attempts by one actor within <see cref="DeniedBurstWindow"/> that raise a flag.</summary>
    [Range(2, 100_000)]
    public int DeniedBurst { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DeniedBurstWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A view under an incident of a camera farther than this from the incident's position is flagged.</summary>
    [Range(100, 100_000)]
    public double FarFromIncidentMeters { get; set; } = 3_000;

    /// <summary>After a flag, the same rule stays quiet this long for the same suspect, so one pattern raises one flag.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan FlagCooldown { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How far back the rules look: what the runner keeps in memory, and re-reads after a restart.</summary>
    public TimeSpan Lookback => new[] { ViewWindow, RepeatedViewsWindow, UnconfirmedAfter, QuickCloseWithin, DeniedBurstWindow }.Max();

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public bool IsUnusualHour(DateTimeOffset at)
    {
        var hour = TimeZoneInfo.ConvertTime(at, Zone).Hour;
        return UnusualHoursStart <= UnusualHoursEnd
            ? hour >= UnusualHoursStart && hour < UnusualHoursEnd
            : hour >= UnusualHoursStart || hour < UnusualHoursEnd;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UnusualHoursStart == UnusualHoursEnd)
            yield return new ValidationResult("Misuse:UnusualHoursStart and Misuse:UnusualHoursEnd must differ (the unusual hours are from the start up to, not including, the end).");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            yield return new ValidationResult($"Misuse:TimeZone '{TimeZone}' is not a time zone this machine knows (e.g. Asia/Seoul).");
    }
}
