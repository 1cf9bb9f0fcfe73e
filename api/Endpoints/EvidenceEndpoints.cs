using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Errors;
using SafetyNet.Api.Evidence;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Evidence;
using SafetyNet.Contracts.Sessions;

namespace SafetyNet.Api.Endpoints;

/// <summary>
/// Signed evidence exports. Exporting: an operator or supervisor whose access decision for the camera allows it, for an
/// incident, with a purpose and a justification; an operator only from a camera it is watching (an open lease). Reading:
/// the exporter's agency, auditors whose districts include the camera's, and city-wide auditors; to anyone else an export
/// does not exist (404). Verifying and the public keys are open to every role.
/// </summary>
public static class EvidenceEndpoints
{
    private const int MaxJustificationLength = 500;

    public static void MapEvidenceEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/cameras/{id}/evidence", Export).RequireAuthorization(Policies.Viewer).WritesAudit().WithTags("Evidence")
            .WithSummary("Export a clip of the live window (MP4, remuxed) or a stamped snapshot, with a manifest signed by the node's evidence key; 403 with the reason when refused");
        api.MapGet("/evidence/keys", Keys).RequireAuthorization(Policies.AnyRole).WithTags("Evidence")
            .WithSummary("The public evidence keys (PEM) manifests are signed with, for offline verification");
        api.MapGet("/evidence/{id}", Manifest).RequireAuthorization(Policies.EvidenceReader).WithTags("Evidence")
            .WithSummary("An export's signed manifest, byte for byte as signed");
        api.MapGet("/evidence/{id}/files/{name}", FileOf).RequireAuthorization(Policies.EvidenceReader).WritesAudit().WithTags("Evidence")
            .WithSummary("One file of an export: manifest.json, manifest.sig, clip.mp4 or snapshot.jpg (a download of media is in the ledger)");
        api.MapGet("/evidence/{id}/bundle", Bundle).RequireAuthorization(Policies.EvidenceReader).WritesAudit().WithTags("Evidence")
            .WithSummary("The export as a zip: manifest.json, manifest.sig and the media (the download is in the ledger)");
        api.MapPost("/evidence/verify", Verify).RequireAuthorization(Policies.AnyRole).WithTags("Evidence")
            .WithMetadata(new RequestSizeLimitAttribute(EvidenceLimits.MaxBundleBytes))
            .Accepts<Stream>("application/zip")
            .WithSummary("Upload a bundle (application/zip): valid, or which check failed");
    }

    private static async Task<Results<Created<EvidenceView>, ProblemHttpResult>> Export(string id, EvidenceRequestBody? body, ClaimsPrincipal user,
        IGrainFactory grains, IEvidenceArchive archive)
    {
        if (!EnumNames<EvidenceKind>.TryParse(body?.Kind, out var kind)) return Problems.BadRequest($"kind must be one of: {EnumNames<EvidenceKind>.Expected}.");
        var seconds = body!.Seconds ?? archive.MaxClipSeconds;
        if (kind == EvidenceKind.Clip && (seconds < 1 || seconds > archive.MaxClipSeconds))
            return Problems.BadRequest($"seconds must be between 1 and {archive.MaxClipSeconds} (Evidence:MaxClipSeconds).");
        if (string.IsNullOrWhiteSpace(body.IncidentId)) return Problems.BadRequest("incidentId is required: evidence is exported only for an incident.");
        if (string.IsNullOrWhiteSpace(body.Justification) || body.Justification.Length > MaxJustificationLength)
            return Problems.BadRequest($"justification is required (at most {MaxJustificationLength} characters): why this is kept as evidence.");
        if (!EnumNames<AccessPurpose>.TryParse(body.Purpose, out var purpose)) return Problems.BadRequest($"purpose must be one of: {EnumNames<AccessPurpose>.Expected}.");
        if ((await IncidentEndpoints.VisibleAsync(body.IncidentId, user, grains)).Problem is { } problem) return problem;
        if (user.ToOperator().SessionId is not { } session) return Denied(DecisionReasons.SessionRequired);
        var outcome = await grains.GetGrain<IAgencySessionGrain>(session).ExportEvidenceAsync(user.ToOperator(), new AccessRequest(id, purpose, body.IncidentId),
            new EvidenceRequest(kind, kind == EvidenceKind.Clip ? seconds : 0, body.Justification.Trim()));
        if (outcome.Receipt is not { } receipt) return outcome.Decision.Reason == DecisionReasons.UnknownCamera
            ? Problems.NotFound($"There is no camera with id '{id}'.")
            : Denied(outcome.Decision.Reason);
        var record = archive.Find(receipt.ExportId)!;
        return TypedResults.Created(ManifestUrl(receipt.ExportId), View(record));
    }

    private static Ok<IReadOnlyList<EvidencePublicKey>> Keys(IEvidenceArchive archive) => TypedResults.Ok(archive.PublicKeys);

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Manifest(string id, ClaimsPrincipal user, IGrainFactory grains, IEvidenceArchive archive) =>
        await ReadableAsync(id, user, grains, archive) is { } record
            ? TypedResults.Text(record.ManifestJson, "application/json", Encoding.UTF8)
            : NotFound(id);

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> FileOf(string id, string name, ClaimsPrincipal user, IGrainFactory grains,
        IEvidenceArchive archive)
    {
        if (await ReadableAsync(id, user, grains, archive) is not { } record || archive.FilePath(id, name) is not { } path) return NotFound(id, name);
        if (record.FileNames.Contains(name)) await AuditDownloadAsync(record, name, user, grains);
        var type = name.EndsWith(".mp4", StringComparison.Ordinal) ? "video/mp4" : name.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg"
            : name.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "application/octet-stream";
        return TypedResults.PhysicalFile(path, type, name);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Bundle(string id, ClaimsPrincipal user, IGrainFactory grains, IEvidenceArchive archive)
    {
        if (await ReadableAsync(id, user, grains, archive) is not { } record || archive.Zip(id) is not { } zip) return NotFound(id);
        await AuditDownloadAsync(record, "bundle", user, grains);
        return TypedResults.File(zip, "application/zip", $"{id}.zip");
    }

    private static async Task<Results<Ok<EvidenceVerification>, ProblemHttpResult>> Verify(HttpRequest request, IEvidenceArchive archive)
    {
        using var upload = new MemoryStream();
        await request.Body.CopyToAsync(upload);
        upload.Position = 0;
        try
        {
            return TypedResults.Ok(archive.Verify(upload));
        }
        catch (InvalidDataException e)
        {
            return Problems.BadRequest($"The upload is not an evidence bundle (a flat zip of manifest.json, manifest.sig and the media): {e.Message}");
        }
    }

    /// <summary>The export when the caller may read it: its exporter's agency, or an auditor whose jurisdiction holds the camera's district.</summary>
    private static async Task<EvidenceRecord?> ReadableAsync(string id, ClaimsPrincipal user, IGrainFactory grains, IEvidenceArchive archive)
    {
        if (archive.Find(id) is not { } record) return null;
        var caller = user.ToOperator();
        if (user.IsInRole(Roles.Auditor))
            return await grains.GetGrain<IAgencyGrain>(caller.AgencyId).GetAsync() is { } agency && (agency.CityWide || agency.Districts.Contains(record.DistrictCode))
                ? record : null;
        return record.ExporterAgencyId == caller.AgencyId ? record : null;
    }

    private static Task AuditDownloadAsync(EvidenceRecord record, string what, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = user.ToOperator();
        return grains.GetGrain<IAuditGrain>(0).AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.View, "allow", "evidence-download", record.CameraId,
            caller.AgencyId, caller.SessionId, record.IncidentId, caller.Actor, JsonSerializer.Serialize(new { exportId = record.ExportId, file = what }),
            record.DistrictCode));
    }

    private static EvidenceView View(EvidenceRecord record) => new(record.ExportId, JsonDocument.Parse(record.ManifestJson).RootElement.Clone(),
        ManifestUrl(record.ExportId), $"{ManifestUrl(record.ExportId)}/bundle",
        [.. record.FileNames.Select(f => $"{ManifestUrl(record.ExportId)}/files/{f}")]);

    private static string ManifestUrl(string exportId) => $"/api/v1/evidence/{exportId}";

    private static ProblemHttpResult NotFound(string id, string? name = null) =>
        Problems.NotFound(name is null ? $"There is no evidence export '{id}' you may read." : $"Evidence export '{id}' has no file '{name}' you may read.");

    private static ProblemHttpResult Denied(string reason) => TypedResults.Problem(DecisionReasons.Explain(reason), statusCode: 403, title: "Evidence export refused",
        extensions: new Dictionary<string, object?> { ["reason"] = reason });
}
