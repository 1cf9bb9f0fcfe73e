using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Audit.Archive;

/// <summary>Section "Retention": how long the live ledger keeps rows, and where older ones are archived.</summary>
public sealed class RetentionOptions : IValidatableObject
{
    public const string Section = "Retention";

    /// <summary>Korean law asks for at least one year of access logs, two when the system covers 50,000 people or more.</summary>
    public static readonly TimeSpan LegalMinimum = TimeSpan.FromDays(365);

    /// <summary>Rows are archived once their whole month is older than this (so a row stays live at least this long).</summary>
    public TimeSpan LedgerPeriod { get; set; } = TimeSpan.FromDays(730);

    /// <summary>Lets a test or a development node use a period under one year. Never set in production.</summary>
    public bool AllowPeriodBelowLegalMinimum { get; set; }

    /// <summary>Where the signed monthly archive files go. Default: audit-archive in the data directory; in a cluster, storage every node reads.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Retention:ArchiveDirectory must name the directory the ledger's archive files are written to.")]
    public string ArchiveDirectory { get; set; } = "";

    /// <summary>How often the cluster checks for rows to archive (one node does it, on a reminder).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Retention:CheckInterval must be between 00:00:01 and 7.00:00:00.")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LedgerPeriod < TimeSpan.Zero)
            yield return new ValidationResult("Retention:LedgerPeriod must not be negative.", [nameof(LedgerPeriod)]);
        else if (LedgerPeriod < LegalMinimum && !AllowPeriodBelowLegalMinimum)
            yield return new ValidationResult($"Retention:LedgerPeriod is {LedgerPeriod}, below the legal minimum of one year (365.00:00:00; two years, " +
                "730.00:00:00, when the cameras cover 50,000 people or more). Only a test or development node may set Retention:AllowPeriodBelowLegalMinimum=true.",
                [nameof(LedgerPeriod)]);
    }
}
