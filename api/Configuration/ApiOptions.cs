using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Api.Configuration;

/// <summary>Section "Api": request size and rate limits.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    [Range(1024, 64L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    [Range(1024, 4L * 1024 * 1024 * 1024)]
    public long MaxImportBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Sustained requests per second per caller (token bucket); 0 disables rate limiting.</summary>
    [Range(0, 1_000_000)]
    public int RateLimitPerSecond { get; set; } = 200;

    [Range(1, 10_000_000)]
    public int RateLimitBurst { get; set; } = 1000;
}
