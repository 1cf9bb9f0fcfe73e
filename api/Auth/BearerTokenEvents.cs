using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SafetyNet.Api.Errors;

namespace SafetyNet.Api.Auth;

/// <summary>
/// The bearer handler's steps around the signature check: where the token is found, a token this node validated before
/// (<see cref="ValidatedTokens"/>), the agency and role checks that every request passes, and a refusal as ProblemDetails.
/// </summary>
public static class BearerTokenEvents
{
    public static JwtBearerEvents Create() => new()
    {
        OnMessageReceived = OnMessageReceivedAsync,
        OnTokenValidated = OnTokenValidatedAsync,
        OnChallenge = OnChallengeAsync,
    };

    private static async Task OnMessageReceivedAsync(MessageReceivedContext context)
    {
        if (TokenOf(context.Request) is not { Length: > 0 } token) return;
        context.Token = token;
        var services = context.HttpContext.RequestServices;
        if (services.GetRequiredService<ValidatedTokens>().Find(token) is not { } principal) return;
        if (await RefusalAsync(principal, services) is { } refusal)
        {
            context.Fail(refusal);
            return;
        }
        context.Principal = principal;
        context.Success();
    }

    private static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        if (await RefusalAsync(context.Principal!, services) is { } refusal)
        {
            context.Fail(refusal);
            return;
        }
        if (context.SecurityToken is JsonWebToken token)
            services.GetRequiredService<ValidatedTokens>().Remember(token.EncodedToken, context.Principal!,
                new DateTimeOffset(DateTime.SpecifyKind(token.ValidTo, DateTimeKind.Utc)));
    }

    private static async Task OnChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var detail = context.AuthenticateFailure switch
        {
            SecurityTokenExpiredException => "The token has expired.",
            SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "The token's signature is not valid.",
            { } failure => $"The token was rejected: {failure.Message}",
            null => "A bearer token is required.",
        };
        await Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    /// <summary>Browsers cannot set headers on WebSockets, so on the hub path only SignalR sends the token as access_token.</summary>
    private static string? TokenOf(HttpRequest request)
    {
        if (request.Path.StartsWithSegments("/hubs") && request.Query["access_token"] is { Count: > 0 } query) return query.ToString();
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>Why a well-signed token's claims are refused now, or null. Runs on every request, the token cached or not.</summary>
    private static async ValueTask<string?> RefusalAsync(ClaimsPrincipal principal, IServiceProvider services)
    {
        var agencyId = principal.FindFirstValue(ClaimNames.Agency);
        var role = principal.FindFirstValue(ClaimNames.Role);
        if (string.IsNullOrWhiteSpace(principal.FindFirstValue(ClaimNames.Subject)) || string.IsNullOrWhiteSpace(agencyId) || string.IsNullOrWhiteSpace(role))
            return "The token lacks the sub, agency or role claim.";
        var agency = await services.GetRequiredService<RegisteredAgencies>().FindAsync(agencyId);
        return services.GetRequiredService<AgencyRoleRules>().Refusal(agencyId, agency, role);
    }
}
