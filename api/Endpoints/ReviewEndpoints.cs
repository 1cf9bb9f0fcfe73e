using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Reviews;

namespace SafetyNet.Api.Endpoints;

/// <summary>The monthly review: a district's signed report of who viewed its cameras, and the check of a saved copy.</summary>
public static class ReviewEndpoints
{
    public const string SignatureHeader = "X-SafetyNet-Signature";
    private const int MaxDocumentBytes = 32 * 1024 * 1024;

    public static void MapReviewEndpoints(this IEndpointRouteBuilder api)
    {
        var reviews = api.MapGroup("/audit/reviews").WithTags("Audit");
        reviews.MapGet("/{code}/{month}", Get).RequireAuthorization(Policies.AuditReader).WritesAudit()
            .WithSummary("A district's signed monthly review (month yyyy-MM, Seoul time) as html, csv or json (lang=ko|en); a finished month's report is stored once and served as stored");
        reviews.MapPost("/verify", Verify).RequireAuthorization(Policies.AuditReader)
            .WithSummary($"Check a saved report (the body, as downloaded): its signature line (CSV, HTML), or for JSON the {SignatureHeader} header of its download");
        reviews.MapGet("/keys", Keys).RequireAuthorization(Policies.AuditReader)
            .WithSummary("The public keys reports are signed with (the nodes' checkpoint keys), for offline verification");
    }

    private static async Task<IResult> Get(ClaimsPrincipal user, IGrainFactory grains, IServedDistricts served, HttpResponse response, string code, string month,
        string format = ReviewFormats.Html, string lang = "ko")
    {
        if (!served.Serves(code)) return Problems.NotFound(served.NoSuchDistrict(code));
        if (await AuditReadScope.ForAsync(user, grains) is { } scope && !scope.DistrictCodes.Contains(code))
            return Problems.Forbidden($"District {code} is outside your jurisdiction: a review is read by its district's admin and privacy officer, and by city-wide auditors.");
        var caller = user.ToOperator();
        // The month, format and language are checked by the grain (400 naming the problem).
        var download = await grains.GetGrain<IReviewGrain>(0).GetAsync(new ReviewRequest(code, month, format, lang, caller.AgencyId, caller.Actor));
        response.Headers[SignatureHeader] = download.Signature;
        response.Headers["X-SafetyNet-Document-Sha256"] = download.DocumentSha256;
        response.Headers["X-SafetyNet-Review-Trigger"] = download.Trigger;
        response.Headers["X-SafetyNet-Review-Interim"] = download.Interim ? "true" : "false";
        return format == ReviewFormats.Html
            ? TypedResults.Bytes(download.Content, download.ContentType)
            : TypedResults.Bytes(download.Content, download.ContentType, download.FileName);
    }

    private static async Task<Results<Ok<ReviewVerification>, ProblemHttpResult>> Verify(HttpRequest request, IGrainFactory grains)
    {
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            if (body.Length + read > MaxDocumentBytes) return Problems.BadRequest($"A report is at most {MaxDocumentBytes / (1024 * 1024)} MB.");
            body.Write(buffer, 0, read);
        }
        if (body.Length == 0) return Problems.BadRequest("Send the saved report as the request body.");
        string? signature = request.Headers[SignatureHeader];
        return TypedResults.Ok(await grains.GetGrain<IReviewGrain>(0).VerifyAsync(body.ToArray(), signature));
    }

    private static async Task<Ok<IReadOnlyList<CheckpointKeyInfo>>> Keys(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IAuditGrain>(0).GetCheckpointKeysAsync());
}
