using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using SafetyNet.Api.Auth;
using SafetyNet.Api.Configuration;
using SafetyNet.Api.Contracts;
using SafetyNet.Api.Errors;
using SafetyNet.Api.Interop;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;

namespace SafetyNet.Api.Endpoints;

public static class IncidentEndpoints
{
    public static void MapIncidentEndpoints(this IEndpointRouteBuilder api)
    {
        var incidents = api.MapGroup("/incidents").WithTags("Incidents").WithholdPersonDetails();
        incidents.MapPost("/", Open).RequireAuthorization(Policies.Dispatcher).WritesAudit()
            .WithSummary("Open an incident (only agencies of the type's opener kinds; a person must give a justification and a supervisor must confirm); your agency's same externalReference twice returns the same incident (200 instead of 201)");
        incidents.MapPost("/cap", ReceiveCap).RequireAuthorization(Policies.Dispatcher).WritesAudit().Accepts<string>("application/xml", "text/xml", "application/cap+xml")
            .WithSummary("An OASIS CAP 1.2 message: an Alert opens a disaster-response incident, an Update moves it, a Cancel (or all clear) closes it (a person adds ?justification=); an alert for a whole city or province is shown to every agency of your districts as a notice (202) and opens no access");
        incidents.MapGet("/cap/notices", ListNotices).RequireAuthorization(Policies.AnyRole)
            .WithSummary("The whole-area CAP alerts of every agency that answers for some of your agency's districts, still shown (until cancelled or expired), newest first, each naming the agency that sent it (postedBy, with its postedByName and postedByKind), which alone may update or end it; they open no camera access");
        incidents.MapGet("/", List).RequireAuthorization(Policies.AnyRole).WithSummary("Incidents your agency responds to, opened, or may review, by priority then newest");
        incidents.MapGet("/{id}", Get).RequireAuthorization(Policies.AnyRole).WithSummary("An incident: timeline, cameras, grants and context");
        incidents.MapPost("/{id}/location", Move).RequireAuthorization(Policies.Dispatcher).WritesAudit().WithSummary("The incident moved: cameras are re-selected");
        incidents.MapPost("/{id}/agencies", Escalate).RequireAuthorization(Policies.Dispatcher).WritesAudit().WithSummary("Escalate: add agencies (of the type's responder kinds), widen the radius, raise the priority");
        incidents.MapPost("/{id}/confirm", Confirm).RequireAuthorization(Policies.Dispatcher).WritesAudit()
            .WithSummary("A supervisor of the opener's agency (or of a city-wide opener agency), never the opener, confirms an incident a person opened; its other responders are granted then");
        incidents.MapPost("/{id}/trail", AppendTrail).RequireAuthorization(Policies.Dispatcher).WritesAudit()
            .WithSummary("An SOS incident's person was here (position, optional accuracyMeters and at): the trail grows and the incident follows; responders and the opener only");
        incidents.MapPost("/{id}/close", Close).RequireAuthorization(Policies.Dispatcher).WritesAudit().WithSummary("Close; grants end after the grace period");
    }

    private static async Task<Results<Created<IncidentView>, Ok<IncidentView>, ProblemHttpResult>> Open(OpenIncidentBody body, ClaimsPrincipal user, IGrainFactory grains, RegionBounds region)
    {
        if (!EnumNames<IncidentType>.TryParse(body.Type, out var type))
            return Problems.BadRequest($"type is required: one of {EnumNames<IncidentType>.Expected}.");
        if (CameraEndpoints.PointError(body.Latitude, body.Longitude, region) is { } pointError) return Problems.BadRequest(pointError);
        PersonCategory? category = null;
        if (body.PersonCategory is not null)
        {
            if (type != IncidentType.VulnerableSos) return Problems.BadRequest("personCategory is given only for vulnerable-sos incidents.");
            if (!EnumNames<PersonCategory>.TryParse(body.PersonCategory, out var parsed))
                return Problems.BadRequest($"personCategory must be one of: {EnumNames<PersonCategory>.Expected}.");
            category = parsed;
        }
        var request = new OpenIncident(type, new GeoPoint(body.Latitude!.Value, body.Longitude!.Value), body.Priority ?? 3,
            body.ExternalReference, body.Address, body.Description, body.Agencies, body.RadiusMeters, body.Justification) { PersonCategory = category };
        return await OpenAsync(request, user, grains);
    }

    /// <summary>
    /// A CAP message from an alerting gateway: an Alert opens an incident over its area; an Update of an alert this agency
    /// opened moves the incident to the area it now gives, widening it or raising its priority as it says; a Cancel,
    /// or an Update saying all clear, closes it, so access ends with the grace period as when a person closes it. An
    /// Update of an alert that opened nothing here opens one. Every message's identifier then finds the incident, so the
    /// next message may reference any of them, and a message sent twice acts once.
    /// </summary>
    private static async Task<Results<Created<IncidentView>, Ok<IncidentView>, Accepted<AlertNoticeView>, Ok<AlertNoticeView>, ProblemHttpResult>> ReceiveCap(
        HttpRequest http, ClaimsPrincipal user, IGrainFactory grains, RegionBounds region, IServedDistricts served, TimeProvider clock, ILoggerFactory loggers,
        string? justification)
    {
        using var body = new MemoryStream();
        await http.Body.CopyToAsync(body, http.HttpContext.RequestAborted);
        CapMessage message;
        try
        {
            message = CapAlertParser.Parse(body.ToArray(), BodyCharsets.Declared(http.ContentType).Charset, served, clock.GetUtcNow(),
                loggers.CreateLogger(typeof(CapAlertParser)));
        }
        catch (CapAlertException e)
        {
            return Problems.BadRequest(e.Message);
        }
        if (message.Incident is { } request && !region.Contains(request.Position))
            return Problems.BadRequest($"The alert's area ({request.Position.Latitude}, {request.Position.Longitude}) is outside {region.Name}.");

        var caller = user.ToOperator();
        var notices = grains.GetGrain<IAlertNoticeBoardGrain>(caller.AgencyId);
        if (message.Kind == CapMessageKind.Notice)
            return TypedResults.Accepted("/api/v1/incidents/cap/notices", AlertNoticeView.Of(await notices.PostAsync(message.Notice!, message.References, user.ToIncidentActor(), justification), clock.GetUtcNow()));
        // An alert sent twice is found by the claim on its reference as it opens; a later message, by its own reference here.
        if (message.Kind == CapMessageKind.Alert) return Widen(await OpenAsync(message.Incident! with { Justification = justification }, user, grains));
        // A cancel or all clear takes down the notice it references; an update that now names places replaces it with an incident.
        var endedNotice = await notices.EndAsync(message.Identifier, message.References, message.CloseReason ?? "cap-update-placed", caller.Actor);
        var directory = grains.GetGrain<IIncidentDirectoryGrain>(0);
        var own = await directory.FindReferenceAsync(caller.AgencyId, CapMessage.ExternalReference(message.Identifier));
        if (own is not null && await grains.GetGrain<IIncidentGrain>(own).GetAsync() is { } repeated) return TypedResults.Ok(repeated);
        // A message may reference the alerts of several incidents (two areas' warnings merged, or cancelled together): it
        // supersedes all of them, so none keeps its access past it.
        var referenced = new List<string>();
        foreach (var identifier in message.References)
            if (await directory.FindReferenceAsync(caller.AgencyId, CapMessage.ExternalReference(identifier)) is { } found && !referenced.Contains(found))
                referenced.Add(found);

        if (message.Kind == CapMessageKind.Update && referenced.Count == 0)
            return Widen(await OpenAsync(message.Incident! with { Justification = justification }, user, grains));
        if (referenced.Count == 0 && endedNotice is not null) return TypedResults.Ok(AlertNoticeView.Of(endedNotice, clock.GetUtcNow()));
        if (referenced.Count == 0)
            return Problems.NotFound($"None of the alerts this message references ({string.Join(", ", message.References.Select(EchoedText.Cut))}) opened an incident of your agency.");
        var open = new List<(IIncidentGrain Grain, IncidentView View)>();
        foreach (var grain in referenced.Select(id => grains.GetGrain<IIncidentGrain>(id)))
            if (await grain.GetAsync() is { Status: IncidentStatus.Open } view) open.Add((grain, view));
        if (open.Count == 0)
        {
            var first = (await grains.GetGrain<IIncidentGrain>(referenced[0]).GetAsync())!;
            return TypedResults.Problem($"Incident '{referenced[0]}', opened for an alert this message references, is already {EnumNames<IncidentStatus>.NameOf(first.Status)}; send a new Alert to open another.",
                statusCode: 409, title: "Conflict");
        }
        var (incident, current) = open[0];
        await directory.ClaimReferenceAsync(caller.AgencyId, CapMessage.ExternalReference(message.Identifier), current.Id);
        if (message.Kind == CapMessageKind.End)
        {
            foreach (var (other, _) in open.Skip(1)) await other.CloseAsync(message.CloseReason!, caller.Actor);
            return TypedResults.Ok(await incident.CloseAsync(message.CloseReason!, caller.Actor));
        }

        // The update's area and severity, narrower or lower too, but never below what a duty officer set by hand. The first
        // incident referenced follows it; the others' alerts are superseded by it, and they close.
        var update = message.Incident!;
        var followed = await incident.FollowAlertAsync(update.Position, update.RadiusMeters ?? current.RadiusMeters, update.Priority, caller.Actor);
        foreach (var (other, _) in open.Skip(1)) await other.CloseAsync(CapMessage.SupersededReason, caller.Actor);
        return TypedResults.Ok(followed);
    }

    private static Results<Created<IncidentView>, Ok<IncidentView>, Accepted<AlertNoticeView>, Ok<AlertNoticeView>, ProblemHttpResult> Widen(
        Results<Created<IncidentView>, Ok<IncidentView>, ProblemHttpResult> opened) => opened.Result switch
        {
            Created<IncidentView> created => created,
            Ok<IncidentView> ok => ok,
            _ => (ProblemHttpResult)opened.Result,
        };

    private static async Task<Ok<AlertNoticeList>> ListNotices(ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock) =>
        TypedResults.Ok(new AlertNoticeList([.. (await grains.GetGrain<IAlertNoticesGrain>(0).ListAsync(user.ToOperator().AgencyId))
            .Select(notice => AlertNoticeView.Of(notice, clock.GetUtcNow()))]));

    private static async Task<Results<Created<IncidentView>, Ok<IncidentView>, ProblemHttpResult>> OpenAsync(OpenIncident request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (request.ExternalReference is { Length: > OpenIncident.MaxExternalReferenceLength })
            return Problems.BadRequest($"externalReference is at most {OpenIncident.MaxExternalReferenceLength} characters.");
        var opener = user.ToIncidentActor();
        var id = $"inc-{Guid.NewGuid():N}";
        if (request.ExternalReference is { } reference)
        {
            // Scoped to the caller's agency: another agency's incident under the same number is never found, nor revealed.
            var claimed = await grains.GetGrain<IIncidentDirectoryGrain>(0).ClaimReferenceAsync(opener.AgencyId, reference, id);
            if (claimed != id && await grains.GetGrain<IIncidentGrain>(claimed).GetAsync() is { } existing)
                return TypedResults.Ok(existing);
            id = claimed;
        }
        var view = await grains.GetGrain<IIncidentGrain>(id).OpenAsync(request, opener);
        return TypedResults.Created($"/api/v1/incidents/{id}", view);
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> List(ClaimsPrincipal user, IGrainFactory grains,
        string? status, string? type, string? district, int page = 1, int pageSize = 50)
    {
        if (page < 1 || pageSize is < 1 or > 500) return Problems.BadRequest("page starts at 1; pageSize is 1-500.");
        IncidentStatus? statusFilter = null;
        if (status is not null)
        {
            if (!EnumNames<IncidentStatus>.TryParse(status, out var s)) return Problems.BadRequest($"status must be one of: {EnumNames<IncidentStatus>.Expected}.");
            statusFilter = s;
        }
        IncidentType? typeFilter = null;
        if (type is not null)
        {
            if (!EnumNames<IncidentType>.TryParse(type, out var t)) return Problems.BadRequest($"type must be one of: {EnumNames<IncidentType>.Expected}.");
            typeFilter = t;
        }
        var agency = user.ToOperator().AgencyId;
        var seesAll = user.IsInRole(Roles.PlatformAdmin) || user.IsInRole(Roles.Auditor);
        var matching = (await grains.GetGrain<IIncidentDirectoryGrain>(0).ListAsync())
            .Where(i => seesAll || i.IsVisibleTo(agency))
            .Where(i => statusFilter is null || i.Status == statusFilter)
            .Where(i => typeFilter is null || i.Type == typeFilter)
            .Where(i => district is null || i.DistrictCode == district)
            .OrderBy(i => i.Priority).ThenByDescending(i => i.OpenedAt)
            .ToList();
        return TypedResults.Ok<object>(new { items = matching.Skip((page - 1) * pageSize).Take(pageSize), page, pageSize, total = matching.Count });
    }

    private static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (view, problem) = await VisibleAsync(id, user, grains);
        return view is not null ? TypedResults.Ok(view) : problem!;
    }

    private static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> Move(string id, MoveIncidentBody body, ClaimsPrincipal user, IGrainFactory grains, RegionBounds region)
    {
        if (CameraEndpoints.PointError(body.Latitude, body.Longitude, region) is { } pointError) return Problems.BadRequest(pointError);
        var (view, problem) = await VisibleAsync(id, user, grains);
        if (view is null) return problem!;
        return TypedResults.Ok(await grains.GetGrain<IIncidentGrain>(id).MoveAsync(new GeoPoint(body.Latitude!.Value, body.Longitude!.Value), user.ToOperator().Actor));
    }

    private static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> Escalate(string id, EscalateIncidentBody body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if ((body.Agencies is null || body.Agencies.Length == 0) && body.RadiusMeters is null && body.Priority is null)
            return Problems.BadRequest("Give agencies to add, a radiusMeters, or a priority.");
        var (view, problem) = await VisibleAsync(id, user, grains);
        if (view is null) return problem!;
        return TypedResults.Ok(await grains.GetGrain<IIncidentGrain>(id).EscalateAsync(body.Agencies ?? [], body.RadiusMeters, body.Priority, user.ToOperator().Actor));
    }

    private static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> Confirm(string id, ConfirmIncidentBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!user.IsInRole(Roles.Supervisor)) return Problems.Forbidden("Only a supervisor may confirm an incident that a person opened.");
        // Not VisibleAsync: the incident's four-eyes rule decides which supervisors confirm, and says why it refuses.
        return TypedResults.Ok(await grains.GetGrain<IIncidentGrain>(id).ConfirmAsync(user.ToIncidentActor(), body?.Note));
    }

    private static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> AppendTrail(string id, TrailPointBody body, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock, RegionBounds region)
    {
        if (CameraEndpoints.PointError(body.Latitude, body.Longitude, region) is { } pointError) return Problems.BadRequest(pointError);
        var (view, problem) = await VisibleAsync(id, user, grains);
        if (view is null) return problem!;
        var caller = user.ToOperator();
        if (!view.SharesPersonWith(caller.AgencyId)) return Problems.Forbidden("Only the agencies responding to this incident, and the one that opened it, follow the person.");
        var point = new TrailPoint(new GeoPoint(body.Latitude!.Value, body.Longitude!.Value), body.AccuracyMeters, body.At ?? clock.GetUtcNow(), caller.Actor);
        return TypedResults.Ok(await grains.GetGrain<IIncidentGrain>(id).AppendTrailAsync(point));
    }

    private static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> Close(string id, CloseIncidentBody? body, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (view, problem) = await VisibleAsync(id, user, grains);
        if (view is null) return problem!;
        return TypedResults.Ok(await grains.GetGrain<IIncidentGrain>(id).CloseAsync(body?.Reason ?? "resolved", user.ToOperator().Actor));
    }

    /// <summary>
    /// An incident is visible to its responding agencies, the agency that opened it, its reviewers while it awaits review
    /// (<see cref="IncidentAudience"/>), and to platform admins and auditors (who cannot change it: their roles are not dispatchers).
    /// </summary>
    internal static async Task<(IncidentView? View, ProblemHttpResult? Problem)> VisibleAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var view = await grains.GetGrain<IIncidentGrain>(id).GetAsync();
        if (view is null) return (null, Problems.NotFound($"There is no incident '{id}'."));
        if (!view.IsVisibleTo(user.ToOperator().AgencyId) && !user.IsInRole(Roles.PlatformAdmin) && !user.IsInRole(Roles.Auditor))
            return (null, Problems.Forbidden("Your agency neither responds to this incident nor opened it."));
        return (view, null);
    }

    private static IncidentActor ToIncidentActor(this ClaimsPrincipal user)
    {
        var principal = user.ToOperator();
        var role = principal.Role switch
        {
            Roles.DispatchSystem => IncidentActorRole.DispatchSystem,
            Roles.Supervisor => IncidentActorRole.Supervisor,
            Roles.Operator => IncidentActorRole.Operator,
            _ => throw new InvalidOperationException($"Role '{principal.Role}' reached an incident action that only dispatchers may call."),
        };
        return new IncidentActor(principal.AgencyId, principal.OperatorId, role);
    }
}
