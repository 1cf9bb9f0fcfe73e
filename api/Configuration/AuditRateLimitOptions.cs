using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Api.Configuration;

/// <summary>
/// Section "AuditRateLimit": a token bucket per caller on the endpoints that write to the audit ledger, tighter than the
/// general limit, so that no principal can flood the ledger. 0 for <see cref="Burst"/> disables it.
/// </summary>
public sealed class AuditRateLimitOptions
{
    public const string Section = "AuditRateLimit";

    /// <summary>Audited requests a caller may make at once.</summary>
    [Range(0, 1_000_000, ErrorMessage = "AuditRateLimit:Burst must be between 0 (off) and 1000000.")]
    public int Burst { get; set; } = 100;

    /// <summary>Requests given back to the caller's bucket each <see cref="Period"/>.</summary>
    [Range(1, 1_000_000, ErrorMessage = "AuditRateLimit:TokensPerPeriod must be between 1 and 1000000.")]
    public int TokensPerPeriod { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ErrorMessage = "AuditRateLimit:Period must be between 10 ms and 1 day.")]
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);
}
