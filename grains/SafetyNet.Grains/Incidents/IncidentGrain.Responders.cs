using System.Text.Json;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Grains.Incidents;

/// <summary>
/// Who holds a grant, and when that changes: a supervisor confirms a person's incident (its other responders join), a move
/// brings the new place's local responders in and lets those it left behind keep access only for the move grace.
/// </summary>
public sealed partial class IncidentGrain
{
    public async Task<IncidentView> ConfirmAsync(IncidentActor supervisor, string? note)
    {
        EnsureOpen();
        if (!S.PendingReview)
            throw DomainException.Conflict(S.ConfirmedBy is { } by ? $"Incident '{Id}' was already confirmed by {by}." : $"Incident '{Id}' was opened by a dispatch system; it needs no review.");
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > IncidentAuthority.MaxNoteLength }) throw DomainException.Invalid($"note is at most {IncidentAuthority.MaxNoteLength} characters.");
        var confirmerAgency = await GrainFactory.GetGrain<IAgencyGrain>(supervisor.AgencyId).GetAsync();
        if (IncidentAuthority.RefuseConfirmation(supervisor, confirmerAgency, S.OpenedBy!, Options.For(S.Request!.Type)) is { } refusal)
        {
            await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.IncidentConfirm, "deny", refusal, AgencyId: supervisor.AgencyId,
                IncidentId: Id, Actor: supervisor.Actor, Details: JsonSerializer.Serialize(new { openedBy = S.OpenedBy!.Actor, note }, Json), DistrictCode: S.DistrictCode, Justification: note));
            throw DomainException.Forbidden(refusal);
        }

        var now = clock.GetUtcNow();
        S.PendingReview = false;
        S.ConfirmedBy = supervisor.Actor;
        S.ConfirmedAt = now;
        // The cameras are chosen again (policies may have changed since opening), the opener's grant widens from its own
        // jurisdiction to every camera, and the table's other responders join.
        var before = S.Cameras.Select(c => c.CameraId).ToHashSet();
        var leftOut = await SelectCamerasAsync(CameraResponders());
        var granted = await RegrantAsync(before, supervisor.Actor);
        var joining = S.PendingAgencies.ToArray();
        S.PendingAgencies.Clear();
        granted.AddRange(await JoinAsync(joining, supervisor.Actor));
        AddTimeline("confirmed", $"Confirmed by {supervisor.Actor}{(note is null ? "" : $" ({note})")}; granted {Listed(granted.Select(g => g.Agency).Distinct())}{LeftOutSuffix(leftOut)}", supervisor.Actor);
        await state.WriteStateAsync();
        await audit.AppendAsync(new AuditEntry(now, AuditKinds.IncidentConfirm, "allow", "four-eyes", AgencyId: supervisor.AgencyId, IncidentId: Id,
            Actor: supervisor.Actor, Details: JsonSerializer.Serialize(new { openedBy = S.OpenedBy!.Actor, S.Justification, note, joined = joining }, Json),
            DistrictCode: S.DistrictCode, Justification: note));
        var view = await ViewAsync();
        await AnnounceAsync(view, DashboardEventNames.IncidentUpdated, granted.Where(g => g.Cameras.Length > 0));
        return view;
    }

    /// <summary>The place's responders not yet responding, and the local responders the move leaves behind (those awaiting review just drop out).</summary>
    private async Task<(string[] Joining, string[] Leaving)> RespondersAtNewPlaceAsync(string from, string to)
    {
        var agencies = await agencyDirectory.GetAsync();
        bool LeftBehind(string id) => agencies.TryGetValue(id, out var agency) && ResponderResolver.IsLeftBehind(agency, from, to);
        var joining = ResponderResolver.Resolve(agencies.Values, Options.For(S.Request!.Type), to)
            .Where(a => !IsActiveResponder(a) && !S.PendingAgencies.Contains(a)).ToArray();
        var leaving = S.Agencies.Where(a => !IsDeparting(a) && LeftBehind(a)).ToArray();
        S.PendingAgencies.RemoveAll(LeftBehind);
        return (joining, leaving);
    }

    /// <summary>Grants each agency the current cameras (or, while awaiting review, records it for confirmation); a departing one stays.</summary>
    private async Task<List<(string Agency, string[] Cameras)>> JoinAsync(IEnumerable<string> agencies, string actor)
    {
        var granted = new List<(string Agency, string[] Cameras)>();
        var cameras = GrantableCameras();
        foreach (var agency in agencies)
        {
            var held = S.Grants.FindIndex(g => g.AgencyId == agency);
            if (IsDeparting(agency) && held >= 0)
            {
                S.Departures.RemoveAll(d => d.AgencyId == agency);
                S.Grants[held] = await Issuer.IssueAsync(S.Grants[held] with { CameraIds = cameras, ExpiresAt = S.ExpiresAt + Options.ClosingGrace, IssuedBy = actor });
                granted.Add((agency, cameras));
            }
            else if (S.Agencies.Contains(agency) || S.PendingAgencies.Contains(agency)) continue;
            else if (S.PendingReview) S.PendingAgencies.Add(agency);
            else
            {
                S.Agencies.Add(agency);
                S.Grants.Add(await Issuer.IssueAsync(NewGrant(agency, cameras, actor)));
                granted.Add((agency, cameras));
            }
        }
        return granted;
    }

    /// <summary>Shortens each agency's grant to the end of the move grace (audited as a revocation by the issuer).</summary>
    private async Task LeaveAsync(IReadOnlyCollection<string> agencies, string actor)
    {
        if (agencies.Count == 0) return;
        var until = clock.GetUtcNow() + Options.MoveGrace;
        foreach (var agency in agencies)
        {
            var held = S.Grants.FindIndex(g => g.AgencyId == agency);
            if (held < 0) continue;
            var grant = S.Grants[held];
            await Issuer.ShortenAsync(grant, grant.CameraIds, until, "incident moved out of the responder's jurisdiction");
            S.Grants[held] = grant with { ExpiresAt = until < grant.ExpiresAt ? until : grant.ExpiresAt };
            S.Departures.Add(new Departure(agency, until));
        }
        AddTimeline("responders-leaving", $"Left behind by the move: {Listed(agencies)}; their access ends at {until:O}", actor);
    }

    /// <summary>The end of a move grace: the left-behind agencies' grants are revoked and they stop responding.</summary>
    private async Task EndDeparturesAsync(DateTimeOffset now)
    {
        var due = S.Departures.Where(d => d.At <= now).ToList();
        var revoked = new List<(string Agency, string[] Cameras)>();
        foreach (var departure in due)
        {
            var held = S.Grants.FindIndex(g => g.AgencyId == departure.AgencyId);
            if (held >= 0)
            {
                await Issuer.RevokeAsync(S.Grants[held], "move grace over: the responder was left behind");
                revoked.Add((departure.AgencyId, S.Grants[held].CameraIds));
                S.Grants.RemoveAt(held);
            }
            S.Agencies.Remove(departure.AgencyId);
        }
        S.Departures.RemoveAll(due.Contains);
        AddTimeline("responders-left", $"Move grace over: {Listed(due.Select(d => d.AgencyId))} no longer respond", "system");
        await state.WriteStateAsync();
        await AnnounceAsync(await ViewAsync(), DashboardEventNames.IncidentUpdated, []);
        await PublishAsync(revoked.Select(r => Event(DashboardEventNames.AccessRevoked, [r.Agency],
            new { incidentId = Id, agencyId = r.Agency, cameraIds = r.Cameras, reason = "incident-moved" })).ToArray());
    }

    private bool IsDeparting(string agency) => S.Departures.Any(d => d.AgencyId == agency);

    private bool IsActiveResponder(string agency) => S.Agencies.Contains(agency) && !IsDeparting(agency);
}
