using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Errors;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Api.Endpoints;

public static class AuditEndpoints
{
    private const int ExportPage = 1000;

    public static void MapAuditEndpoints(this IEndpointRouteBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit");
        audit.MapGet("/", Query).RequireAuthorization(Policies.AuditReader)
            .WithSummary("The audit ledger, newest first, filtered and paged; each caller reads only its scope (a district's privacy officer its own district)");
        audit.MapGet("/export", Export).RequireAuthorization(Policies.AuditReader).WritesAudit()
            .WithSummary("The ledger entries the caller may read, filtered, as a CSV or JSON download (format=csv|json); the export itself is audited");
        audit.MapGet("/verify", Verify).RequireAuthorization(Policies.Auditor)
            .WithSummary("Check the hash chain against the signed checkpoints and name the first broken row or checkpoint");
        audit.MapGet("/checkpoint-keys", CheckpointKeys).RequireAuthorization(Policies.Auditor)
            .WithSummary("The public keys audit checkpoints are signed with, for offline verification");
    }

    private static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> Query(
        ClaimsPrincipal user, IGrainFactory grains, [AsParameters] AuditFilter filter, int page = 1, int pageSize = 100)
    {
        if (page < 1) return Problems.BadRequest("page starts at 1.");
        if (pageSize is < 1 or > 1000) return Problems.BadRequest("pageSize must be between 1 and 1000.");
        if (filter.Problem is { } problem) return Problems.BadRequest(problem);
        var scope = await AuditReadScope.ForAsync(user, grains);
        return TypedResults.Ok(await grains.GetGrain<IAuditGrain>(0).QueryAsync(filter.ToQuery(scope, page, pageSize)));
    }

    private static async Task<IResult> Export(ClaimsPrincipal user, IGrainFactory grains, IOptions<JsonOptions> json, [AsParameters] AuditFilter filter, string format = "csv")
    {
        if (format is not ("csv" or "json")) return Problems.BadRequest("format must be csv or json.");
        if (filter.Problem is { } problem) return Problems.BadRequest(problem);
        var scope = await AuditReadScope.ForAsync(user, grains);
        var caller = user.ToOperator();
        await grains.GetGrain<IAuditGrain>(0).AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.AuditExport, "allow", format,
            AgencyId: caller.AgencyId, Actor: caller.Actor, Details: JsonSerializer.Serialize(filter, json.Value.SerializerOptions),
            DistrictCode: filter.District));
        var name = $"safetynet-audit-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss'Z'}.{format}";
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, format == "csv" ? SpreadsheetCsv.Encoding : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            var first = true;
            await writer.WriteLineAsync(format == "csv" ? AuditCsv.Header : "[");
            await foreach (var record in ReadAllAsync(grains, filter.ToQuery(scope, 1, ExportPage)))
            {
                if (format == "csv") await writer.WriteLineAsync(AuditCsv.Row(record));
                else await writer.WriteLineAsync((first ? "" : ",") + JsonSerializer.Serialize(record, json.Value.SerializerOptions));
                first = false;
            }
            if (format == "json") await writer.WriteLineAsync("]");
        }, format == "csv" ? "text/csv; charset=utf-8" : "application/json", name);
    }

    /// <summary>Newest first, a page at a time by sequence number, so rows appended meanwhile neither repeat nor shift pages.</summary>
    private static async IAsyncEnumerable<AuditRecord> ReadAllAsync(IGrainFactory grains, AuditQuery query)
    {
        while (true)
        {
            var page = await grains.GetGrain<IAuditGrain>(0).QueryAsync(query);
            foreach (var record in page.Items) yield return record;
            if (!page.HasMore) yield break;
            query = query with { BeforeSeq = page.Items[^1].Seq };
        }
    }

    private static async Task<Ok<ChainVerification>> Verify(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IAuditGrain>(0).VerifyAsync());

    private static async Task<Ok<IReadOnlyList<CheckpointKeyInfo>>> CheckpointKeys(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IAuditGrain>(0).GetCheckpointKeysAsync());
}
