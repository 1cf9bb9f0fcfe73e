using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Errors;

namespace SafetyNet.Api.Endpoints;

public static partial class AuthEndpoints
{
    /// <summary>Only with Auth:DevelopmentTokens=true: mints a token for a registered agency and a role its kind may hold.</summary>
    public static void MapAuthEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/token", IssueToken)
            .AllowAnonymous()
            .WithTags("Auth")
            .WithSummary("Mint a development token (only on a node started with Auth:DevelopmentTokens=true)");
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(
        TokenRequest request, RegisteredAgencies agencies, AgencyRoleRules rules, TokenIssuer issuer)
    {
        if (string.IsNullOrWhiteSpace(request.AgencyId) || string.IsNullOrWhiteSpace(request.OperatorId) || string.IsNullOrWhiteSpace(request.Role))
            return Problems.BadRequest("agencyId, operatorId and role are all required.");
        if (!Roles.All.Contains(request.Role))
            return Problems.BadRequest($"Unknown role '{request.Role}'. Expected one of: {string.Join(", ", Roles.All)}.");
        if (!OperatorIdPattern().IsMatch(request.OperatorId))
            return Problems.BadRequest("operatorId must be 1-64 letters, digits, '.', '_', '-' or '@'.");
        if (rules.Refusal(request.AgencyId, await agencies.FindAsync(request.AgencyId), request.Role) is { } refusal)
            return Problems.BadRequest(refusal);
        var (token, expiresAt) = issuer.Issue(request.OperatorId, request.AgencyId, request.Role);
        return TypedResults.Ok(new TokenResponse(token, expiresAt));
    }

    [GeneratedRegex(@"^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex OperatorIdPattern();
}
