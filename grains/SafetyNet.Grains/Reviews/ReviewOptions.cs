using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Reviews;

/// <summary>Section "Review": the monthly review reports.</summary>
public sealed class ReviewOptions
{
    public const string Section = "Review";

    /// <summary>
    /// How often the cluster's one review schedule checks that last month's report exists for every district (and
    /// produces the missing ones): a report is produced within this long of the month's start, or of a start-up.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Review:CheckPeriod must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromHours(1);
}
