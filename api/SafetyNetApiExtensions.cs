using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Endpoints;
using SafetyNet.Api.Errors;
using SafetyNet.Api.Hosting;
using SafetyNet.Api.Hubs;
using SafetyNet.Api.Import;
using SafetyNet.Api.Media;
using Scalar.AspNetCore;

namespace SafetyNet.Api;

public static class SafetyNetApiExtensions
{
    /// <summary>Registers the API: auth, authorization policies, ProblemDetails, limits, OpenAPI.</summary>
    /// <param name="generatedKeyPath">Where a dev-mode signing key is kept when none is configured.</param>
    public static IServiceCollection AddSafetyNetApi(this IServiceCollection services, IConfiguration configuration, string generatedKeyPath)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var api = configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();

        var keys = new SigningKeys(auth, generatedKeyPath);
        services.AddSingleton(keys);
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton(sp => new AgencyRoleRules(sp.GetRequiredService<IOptions<AuthOptions>>().Value.AgencyRoles));
        services.AddSingleton<RegisteredAgencies>();
        services.AddSingleton<ValidatedTokens>();
        services.AddSingleton<CameraImporter>();
        services.AddSingleton<CompactCameraBodies>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            if (auth.HasExternalIssuer) o.Authority = auth.Authority;
            o.RequireHttpsMetadata = auth.RequireHttpsMetadata;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                // The node's own issuer and keys are valid in both modes: it signs the session-bound tokens it hands out.
                // With an Authority, the handler adds the issuer's name and keys from its metadata to these.
                ValidIssuer = auth.Issuer,
                ValidAudience = auth.Audience,
                IssuerSigningKeys = keys.ValidationKeys,
                NameClaimType = ClaimNames.Subject,
                RoleClaimType = ClaimNames.Role,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            o.Events = BearerTokenEvents.Create();
        });
        services.AddAuthorizationBuilder().AddSafetyNetPolicies();

        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= StatusCodeDetails.Describe(context.ProblemDetails.Status ?? 0, context.HttpContext, api));
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = api.MaxRequestBodyBytes);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new StringArrayConverter());
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) => new ValueTask(
                Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests", "Rate limit exceeded; slow down and retry."));
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                api.RateLimitPerSecond == 0
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetTokenBucketLimiter(
                        CallerPartition.Of(http),
                        _ => new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = api.RateLimitBurst,
                            TokensPerPeriod = api.RateLimitPerSecond,
                            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                            QueueLimit = 0,
                            AutoReplenishment = true,
                        }));
        });
        services.AddAuditRateLimit(configuration);
        services.AddOpenApi(o => o.AddSchemaTransformer<EnumSchemaTransformer>());
        services.AddSignalR();
        services.AddSingleton<MediaTokens>();
        services.AddSingleton<DashboardEventForwarder>();
        services.AddSingleton<SubscribedStreams>();
        services.AddSingleton<WallScreens>();
        services.AddHostedService<DashboardNodeRegistration>();
        services.AddHostedService<MisuseWatchKeeper>();
        return services;
    }

    /// <summary>Adds the middleware and maps every endpoint under /api/v1, plus OpenAPI at /openapi/v1.json and its UI at /scalar.</summary>
    public static WebApplication UseSafetyNetApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseUtf8Bodies();
        app.UseRouteIdGuard();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();

        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var api = app.MapGroup("/api/v1");
        if (options.DevelopmentTokens && !options.HasExternalIssuer)
        {
            app.Logger.LogWarning("DEVELOPMENT TOKENS ARE ON (Auth:DevelopmentTokens=true): anyone who reaches POST /api/v1/auth/token can mint " +
                                  "a token for any registered agency and any role its kind may hold, platform-admin included. " +
                                  "Never run a production node like this; configure Auth:Authority instead.");
            api.MapAuthEndpoints();
        }
        api.MapDistrictEndpoints();
        api.MapAccessOverviewEndpoints();
        api.MapCompactCameraEndpoints();
        api.MapCameraEndpoints(app.Services.GetRequiredService<IOptions<ApiOptions>>().Value);
        api.MapCameraCertificatePinsEndpoints();
        api.MapCameraStatusEndpoints();
        api.MapAgencyEndpoints();
        api.MapSessionEndpoints();
        api.MapAuditEndpoints();
        api.MapReviewEndpoints();
        api.MapMisuseFlagEndpoints();
        api.MapIncidentEndpoints();
        api.MapContextEndpoints(app.Services.GetRequiredService<IOptions<ApiOptions>>().Value);
        api.MapLeaseEndpoints();
        api.MapRewindEndpoints();
        api.MapMaskEndpoints();
        api.MapEvidenceEndpoints();
        api.MapPtzEndpoints();
        app.MapMediaEndpoints();
        app.MapLiveMediaEndpoints();
        app.MapHub<OperationsHub>("/hubs/operations");
        return app;
    }
}
