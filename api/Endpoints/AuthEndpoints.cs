using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts.Agencies;

namespace SafetyNet.Api.Endpoints;

public static partial class AuthEndpoints
{
    /// <summary>Dev/embedded mode only: mints a token for a registered agency. Absent when an external issuer is configured.</summary>
    public static void MapAuthEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/token", IssueToken)
            .AllowAnonymous()
            .WithTags("Auth")
            .WithSummary("Mint a development token (only when no external token issuer is configured)");
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(TokenRequest request, IGrainFactory grains, TokenIssuer issuer)
    {
        if (string.IsNullOrWhiteSpace(request.AgencyId) || string.IsNullOrWhiteSpace(request.OperatorId) || string.IsNullOrWhiteSpace(request.Role))
            return Problems.BadRequest("agencyId, operatorId and role are all required.");
        if (!Roles.All.Contains(request.Role))
            return Problems.BadRequest($"Unknown role '{request.Role}'. Expected one of: {string.Join(", ", Roles.All)}.");
        if (!OperatorIdPattern().IsMatch(request.OperatorId))
            return Problems.BadRequest("operatorId must be 1-64 letters, digits, '.', '_', '-' or '@'.");
        if (await grains.GetGrain<IAgencyGrain>(request.AgencyId).GetAsync() is null)
            return Problems.BadRequest($"Agency '{request.AgencyId}' is not registered (see GET /api/v1/agencies).");
        var (token, expiresAt) = issuer.Issue(request.OperatorId, request.AgencyId, request.Role);
        return TypedResults.Ok(new TokenResponse(token, expiresAt));
    }

    [GeneratedRegex(@"^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex OperatorIdPattern();
}
