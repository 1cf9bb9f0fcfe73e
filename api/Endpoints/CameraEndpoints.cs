using SafetyNet.Contracts;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Errors;
using SafetyNet.Api.Import;
using SafetyNet.Api.Interop;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Sessions;

namespace SafetyNet.Api.Endpoints;

public static class CameraEndpoints
{
    private const double MaxRadiusMeters = 20_000;
    private const int MaxNearbyLimit = 500;

    public static void MapCameraEndpoints(this IEndpointRouteBuilder api, ApiOptions options)
    {
        var cameras = api.MapGroup("/cameras").WithTags("Cameras");
        cameras.MapGet("/", List).RequireAuthorization(Policies.AnyRole)
            .WithSummary("Cameras as a GeoJSON FeatureCollection, by district and/or bbox=minLon,minLat,maxLon,maxLat, paged");
        cameras.MapGet("/nearby", Nearby).RequireAuthorization(Policies.AnyRole).WritesAudit()
            .WithSummary("Nearest cameras to a point, with the caller's access decision for each, for accessPurpose (default: the incident's purpose when incident is given, else monitoring; one summary row in the ledger per request)");
        cameras.MapGet("/{id}", Get).RequireAuthorization(Policies.AnyRole)
            .WithSummary("One camera; its stream URL without credentials unless you manage its district");
        cameras.MapPatch("/{id}", Patch).RequireAuthorization(Policies.DistrictManager).WritesAudit().WithSummary("Change a camera's status, stream or orientation");
        cameras.MapGet("/{id}/access", Access).RequireAuthorization(Policies.AnyRole).WritesAudit()
            .WithSummary("May this session view this camera for this purpose (under this incident)? The decision and its reason");
        cameras.MapPost("/import", Import).RequireAuthorization(Policies.DistrictManager).WritesAudit()
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxImportBytes))
            .WithSummary("Bulk import from CSV (text/csv; UTF-8 or EUC-KR), tab-separated text or a GeoJSON FeatureCollection; re-runs update, bad rows are reported");
    }

    private static async Task<Results<Ok<CameraInfo>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        await grains.GetGrain<ICameraGrain>(id).GetAsync() is { } camera
            ? TypedResults.Ok(await StreamUrlDisclosure.ForCallerAsync(camera, user, grains))
            : Problems.NotFound($"There is no camera with id '{id}'.");

    private static async Task<Results<Ok<CameraInfo>, ProblemHttpResult>> Patch(
        string id, CameraPatch patch, ClaimsPrincipal user, IGrainFactory grains, IOptions<StreamUrlOptions> streamUrls)
    {
        if (await DistrictScope.RefuseCameraAsync(id, user, grains) is { } notManaged) return notManaged;
        if (patch.HeadingDegrees is { } h && (!double.IsFinite(h) || h < 0 || h >= 360)) return Problems.BadRequest("headingDegrees must be in [0, 360).");
        if (patch.FieldOfViewDegrees is { } f && (!double.IsFinite(f) || f <= 0 || f > 360)) return Problems.BadRequest("fieldOfViewDegrees must be in (0, 360].");
        if (patch.StreamUrl is { } url && StreamUrls.Refusal(url, streamUrls.Value) is { } refusal) return UrlRefused("streamUrl", refusal);
        if (patch.OnvifUrl is { } onvif && StreamUrls.OnvifRefusal(onvif, streamUrls.Value) is { } onvifRefusal) return UrlRefused("onvifUrl", onvifRefusal);
        // The caller manages the camera's district, so it may see the stream URL it just set.
        return TypedResults.Ok(await grains.GetGrain<ICameraGrain>(id).UpdateAsync(patch, user.ToOperator().Actor));
    }

    // The rule's code as the reason, its values and the field it refused in, beside the English detail.
    private static ProblemHttpResult UrlRefused(string field, UrlRefusal refusal) =>
        Problems.BadRequest($"{field}: {refusal.Reason}", refusal.Code, refusal.ValuesWith(("field", field)));

    private static async Task<Results<Ok<object>, ProblemHttpResult>> List(
        IGrainFactory grains, string? district, string? bbox, int page = 1, int pageSize = 1000)
    {
        if (page < 1) return Problems.BadRequest("page starts at 1.");
        if (pageSize is < 1 or > 20_000) return Problems.BadRequest("pageSize must be between 1 and 20000.");
        double[]? box = null;
        if (bbox is not null)
        {
            box = bbox.Split(',').Select(s => double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : double.NaN).ToArray();
            if (box.Length != 4 || box.Any(v => !double.IsFinite(v)) || box[0] >= box[2] || box[1] >= box[3])
                return Problems.BadRequest("bbox must be minLon,minLat,maxLon,maxLat with min < max.");
        }
        var result = await grains.GetGrain<ISpatialQueryGrain>(0).InBoxAsync(new BoxQuery(district, box?[1], box?[0], box?[3], box?[2], page, pageSize));
        return TypedResults.Ok<object>(new
        {
            type = "FeatureCollection",
            page = result.Page,
            pageSize = result.PageSize,
            total = result.Total,
            features = result.Items.Select(c => new
            {
                type = "Feature",
                id = c.Id,
                geometry = new { type = "Point", coordinates = new[] { c.Position.Longitude, c.Position.Latitude } },
                properties = new { c.Id, district = c.DistrictCode, c.Purpose, c.Status, heading = c.HeadingDegrees, fov = c.FieldOfViewDegrees, c.Ptz, c.Name },
            }),
        });
    }

    private static async Task<Results<Ok<NearbyResponse>, ProblemHttpResult>> Nearby(
        HttpContext http, ClaimsPrincipal user, IGrainFactory grains, RegionBounds region, double? lat, double? lon, double radius = 500, int limit = 16,
        string? purpose = null, string? status = null, string? accessPurpose = null, string? incident = null)
    {
        if (PointError(lat, lon, region) is { } pointError) return Problems.BadRequest(pointError);
        if (!double.IsFinite(radius) || radius <= 0 || radius > MaxRadiusMeters) return Problems.BadRequest($"radius must be in (0, {MaxRadiusMeters}] meters.");
        if (limit is < 1 or > MaxNearbyLimit) return Problems.BadRequest($"limit must be between 1 and {MaxNearbyLimit}.");
        CameraPurpose? purposeFilter = null;
        if (purpose is not null)
        {
            if (!EnumNames<CameraPurpose>.TryParse(purpose, out var p)) return Problems.BadRequest($"purpose must be one of: {EnumNames<CameraPurpose>.Expected}.");
            purposeFilter = p;
        }
        CameraStatus? statusFilter = null;
        if (status is not null)
        {
            if (!EnumNames<CameraStatus>.TryParse(status, out var s)) return Problems.BadRequest($"status must be one of: {EnumNames<CameraStatus>.Expected}.");
            statusFilter = s;
        }
        AccessPurpose? asked = null;
        if (accessPurpose is not null)
        {
            if (!EnumNames<AccessPurpose>.TryParse(accessPurpose, out var p)) return Problems.BadRequest($"accessPurpose must be one of: {EnumNames<AccessPurpose>.Expected}.");
            asked = p;
        }
        if (incident is not null)
        {
            var (incidentPurpose, problem) = await IncidentContext.PurposeAsync(incident, user, grains);
            if (problem is not null) return problem;
            asked ??= incidentPurpose;
        }
        var viewing = asked ?? AccessPurpose.Monitoring;

        var hits = await grains.GetGrain<ISpatialQueryGrain>(0).NearestAsync(new SpatialQuery(new GeoPoint(lat!.Value, lon!.Value), radius, limit, purposeFilter, statusFilter));
        var decisions = await PreviewAsync(user, grains, hits.Select(h => new AccessRequest(h.Camera.Id, viewing, incident)).ToArray(),
            $"{http.Request.Path}{http.Request.QueryString}", incident);
        var items = hits.Zip(decisions, (h, d) => new NearbyCamera(h.Camera.Id, h.Camera.DistrictCode, h.Camera.Purpose, h.Camera.Status,
            h.Camera.Position.Latitude, h.Camera.Position.Longitude, Math.Round(h.DistanceMeters, 1), Math.Round(h.BearingDegrees, 1),
            h.Camera.HeadingDegrees, h.Camera.FieldOfViewDegrees, DecisionView.From(d))).ToArray();
        return TypedResults.Ok(new NearbyResponse(items));
    }

    private static async Task<Results<Ok<DecisionView>, ProblemHttpResult>> Access(string id, ClaimsPrincipal user, IGrainFactory grains, string? purpose = null, string? incident = null)
    {
        if (await IncidentContext.ViewingPurposeAsync(purpose, incident, user, grains) is not { } viewing) return Problems.BadRequest($"purpose must be one of: {EnumNames<AccessPurpose>.Expected}.");
        if (await grains.GetGrain<ISpatialQueryGrain>(0).FindAsync(id) is null && await grains.GetGrain<ICameraGrain>(id).GetAsync() is null)
            return Problems.NotFound($"There is no camera with id '{id}'.");
        var decisions = await DecideAsync(user, grains, [new AccessRequest(id, viewing, incident)]);
        return TypedResults.Ok(DecisionView.From(decisions[0]));
    }

    private static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> Import(HttpContext http, ClaimsPrincipal user, IGrainFactory grains, CameraImporter importer)
    {
        var contentType = http.Request.ContentType ?? "";
        var manages = await DistrictScope.ManagedAsync(user, grains);
        var actor = user.ToOperator().Actor;
        try
        {
            var (mediaType, declared) = BodyCharsets.Declared(contentType);
            if (mediaType is not null && CsvCameraReader.MediaTypes.TryGetValue(mediaType, out var delimiter))
            {
                // CharsetGuard has refused any charset but UTF-8 and EUC-KR. A byte order mark overrides it (the reader's default).
                var declaredCharset = declared is null ? null : BodyCharsets.Canonical(declared);
                var charset = declaredCharset ?? BodyCharsets.Utf8;
                if (charset == BodyCharsets.Korean)
                {
                    // Whether it is UTF-8 after all takes the whole body, so it is read twice (buffered in a temporary file past 30 KB).
                    http.Request.EnableBuffering();
                    charset = await MislabelledUtf8.ReadAsAsync(charset, http.Request.Body, http.RequestAborted);
                    http.Request.Body.Position = 0;
                }
                using var reader = new StreamReader(http.Request.Body, BodyCharsets.Replacing(charset));
                var report = await importer.ImportAsync(delimiter == ',' ? "csv" : "tsv", CsvCameraReader.ReadAsync(reader, charset, delimiter, http.RequestAborted),
                    manages, actor, http.RequestAborted);
                return TypedResults.Ok(report with { Charset = CsvCameraReader.CharsetRead(reader, charset), DeclaredCharset = declaredCharset });
            }
            if (string.Equals(mediaType, "application/geo+json", StringComparison.OrdinalIgnoreCase) || string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
                return TypedResults.Ok(await importer.ImportAsync("geojson", GeoJsonCameraReader.ReadAsync(http.Request.Body, http.RequestAborted), manages, actor, http.RequestAborted));
        }
        catch (ImportRefusedException e)
        {
            return Problems.BadRequest(e.Message, e.Refusal.Code, e.Refusal.Values);
        }
        catch (InvalidDataException e)
        {
            return Problems.BadRequest(e.Message);
        }
        return TypedResults.Problem("Send text/csv, text/tab-separated-values or application/geo+json.", statusCode: 415, title: "Unsupported media type");
    }

    /// <summary>
    /// Judges a listing's cameras through the caller's session with one summary row in the ledger; without a session every
    /// camera is denied as session-required, also with one row.
    /// </summary>
    private static async Task<AccessDecision[]> PreviewAsync(ClaimsPrincipal user, IGrainFactory grains, AccessRequest[] requests, string query, string? incident)
    {
        var principal = user.ToOperator();
        if (principal.SessionId is { } sessionId)
            return await grains.GetGrain<IAgencySessionGrain>(sessionId).PreviewManyAsync(principal, requests, query);
        await grains.GetGrain<IAuditGrain>(0).AppendAsync(AccessPreviewSummary.Create(DateTimeOffset.UtcNow, query, principal.AgencyId, principal.Actor,
            null, incident, requests.Length, 0, DecisionReasons.SessionRequired));
        return requests.Select(r => AccessDecision.Deny(r.CameraId, DecisionReasons.SessionRequired)).ToArray();
    }

    /// <summary>Decides through the caller's session; without one, every camera is denied (and audited) as session-required.</summary>
    private static async Task<AccessDecision[]> DecideAsync(ClaimsPrincipal user, IGrainFactory grains, AccessRequest[] requests)
    {
        var principal = user.ToOperator();
        if (principal.SessionId is { } sessionId)
            return await grains.GetGrain<IAgencySessionGrain>(sessionId).DecideManyAsync(principal, requests);
        var now = DateTimeOffset.UtcNow;
        await grains.GetGrain<IAuditGrain>(0).AppendManyAsync(requests.Select(r => new AuditEntry(now, AuditKinds.AccessDecision, "deny",
            DecisionReasons.SessionRequired, r.CameraId, principal.AgencyId, null, r.IncidentId, principal.Actor)).ToArray());
        return requests.Select(r => AccessDecision.Deny(r.CameraId, DecisionReasons.SessionRequired)).ToArray();
    }

    public static string? PointError(double? lat, double? lon, RegionBounds region)
    {
        if (lat is not { } la || lon is not { } lo) return "lat and lon are required.";
        if (!double.IsFinite(la) || !double.IsFinite(lo)) return "lat and lon must be finite numbers.";
        if (la is < -90 or > 90 || lo is < -180 or > 180) return "lat must be in [-90, 90] and lon in [-180, 180].";
        if (!region.Contains(new GeoPoint(la, lo))) return $"({la}, {lo}) is outside {region.Name}.";
        return null;
    }
}
