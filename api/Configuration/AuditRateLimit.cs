using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Api.Auth;

namespace SafetyNet.Api.Configuration;

/// <summary>The named rate-limiter policy of endpoints that write audit rows (rejections are the API's 429 ProblemDetails).</summary>
public static class AuditRateLimit
{
    public const string PolicyName = "audit-writes";

    public static IServiceCollection AddAuditRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditRateLimitOptions>().Bind(configuration.GetSection(AuditRateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var limits = configuration.GetSection(AuditRateLimitOptions.Section).Get<AuditRateLimitOptions>() ?? new AuditRateLimitOptions();
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(PolicyName, http => limits.Burst == 0
            ? RateLimitPartition.GetNoLimiter("unlimited")
            : RateLimitPartition.GetTokenBucketLimiter(CallerPartition.Of(http), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = limits.Burst,
                TokensPerPeriod = limits.TokensPerPeriod,
                ReplenishmentPeriod = limits.Period,
                QueueLimit = 0,
                AutoReplenishment = true,
            })));
        return services;
    }

    /// <summary>Puts the endpoint under the per-caller limit of audit-writing requests.</summary>
    public static TBuilder WritesAudit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(PolicyName);
}
