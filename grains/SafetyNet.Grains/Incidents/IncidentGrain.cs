using System.Text.Json;
using SafetyNet.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Districts;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Grains.Agencies;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Reference;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Incidents;

/// <summary>
/// One emergency. Opening selects cameras and grants every responding agency access to them for the service's purpose;
/// moving re-selects (new cameras at once, old ones after a grace); closing lets grants run out a grace period and then
/// revokes them. Every grant also carries an absolute expiry, so no grant outlives its incident even if this grain never
/// runs again; the durable watchdog reminder only makes closing and announcing proactive, across restarts.
/// </summary>
public sealed partial class IncidentGrain(
    [PersistentState("incident", StorageNames.Default)] IPersistentState<IncidentState> state,
    CameraIndex index,
    DistrictLocator locator,
    IOptions<IncidentOptions> options,
    IOptions<LeaseOptions> leaseOptions,
    IAuditLedger audit,
    DistrictPolicyCache policies,
    AgencyDirectoryCache agencyDirectory,
    SafetyNetMetrics metrics,
    TimeProvider clock,
    ILogger<IncidentGrain> logger) : Grain, IIncidentGrain, IRemindable
{
    private const string WatchdogReminder = "incident-watchdog";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private IGrainTimer? _dueTimer;
    // The directory (what incident lists show) is told of every change; until it has acknowledged the latest one, the
    // watchdog keeps retrying, so a directory call lost to a dying silo cannot leave a closed incident listed as open.
    private bool _directoryStale = true;
    // Likewise for dashboards: an event lost to a dying sequencer's silo is sent again (as the current view) by the watchdog.
    private bool _dashboardsStale;

    private string Id => this.GetPrimaryKeyString();
    private IncidentState S => state.State;
    private IncidentOptions Options => options.Value;
    private IGrantIssuerGrain Issuer => GrainFactory.GetGrain<IGrantIssuerGrain>(0);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Request is not null && S.Status != IncidentStatus.Closed) ArmDueTimer();
        return Task.CompletedTask;
    }

    public async Task<IncidentView> OpenAsync(OpenIncident request, IncidentActor opener)
    {
        if (S.Request is not null) return await ViewAsync();
        if (request.Priority is < 1 or > 5) throw DomainException.Invalid("priority must be between 1 (highest) and 5.");
        var district = LocateInRegion(request.Position);
        var settings = Options.For(request.Type);
        var radius = request.RadiusMeters ?? settings.RadiusMeters;
        ValidateRadius(radius);
        var justification = string.IsNullOrWhiteSpace(request.Justification) ? null : request.Justification.Trim();
        if (IncidentAuthority.RefuseJustification(opener, justification) is { } missing) throw DomainException.Invalid(missing);
        var stages = metrics.IncidentOpening();
        var agencies = await agencyDirectory.GetAsync([opener.AgencyId, .. request.Agencies ?? []]);
        stages.Lap("agencies");
        var openerAgency = agencies.GetValueOrDefault(opener.AgencyId);
        if (IncidentAuthority.RefuseOpening(openerAgency, opener.AgencyId, request.Type, settings) is { } refusal)
        {
            await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.IncidentOpen, "deny", refusal, AgencyId: opener.AgencyId,
                IncidentId: Id, Actor: opener.Actor, Details: JsonSerializer.Serialize(new { type = request.Type, district, justification }, Json),
                DistrictCode: district, Justification: justification));
            throw DomainException.Forbidden(refusal);
        }
        var named = NamedResponders(request.Agencies ?? [], agencies, request.Type, settings);
        // Named agencies add to the table's responders; they never replace them.
        var responders = ResponderResolver.Resolve(agencies.Values, settings, district).Union(named).Order(StringComparer.Ordinal).ToArray();
        if (responders.Length == 0) throw DomainException.Invalid($"No registered agency responds to this kind of incident in district {district}.");

        var now = clock.GetUtcNow();
        S.Request = request;
        S.OpenedBy = opener;
        S.OpenerAgency = openerAgency;
        S.Justification = justification;
        // A person's incident waits for a supervisor: until then only the opener's own agency is granted, and only inside its jurisdiction.
        S.PendingReview = opener.IsPerson;
        S.ReviewingAgencies = S.PendingReview ? IncidentAuthority.ReviewingAgencies(agencies.Values, openerAgency!, settings) : [];
        var granted = S.PendingReview ? responders.Where(a => a == opener.AgencyId).ToArray() : responders;
        S.PendingAgencies = [.. responders.Except(granted)];
        S.Status = IncidentStatus.Open;
        S.Position = request.Position;
        S.DistrictCode = district;
        S.Priority = request.Priority;
        S.Agencies = [.. granted];
        S.RadiusMeters = radius;
        S.OpenedAt = now;
        S.ExpiresAt = now + settings.MaxDuration;
        var leftOut = await SelectCamerasAsync(CameraResponders(), agencies);
        stages.Lap("selection");
        // The opening's ledger row is queued first, then the grants are issued while it commits: the opening waits for the
        // ledger alongside the issuer, not after it. Like the grants' rows it is durable before the incident's own row, so
        // the ledger never omits an opening that held.
        var recording = audit.AppendAsync(new AuditEntry(now, AuditKinds.IncidentOpen, "allow", S.PendingReview ? "pending-review" : "dispatch-system",
            AgencyId: opener.AgencyId, IncidentId: Id, Actor: opener.Actor, Details: JsonSerializer.Serialize(new
            {
                type = request.Type, district, justification, pendingReview = S.PendingReview, responders = granted, pendingAgencies = S.PendingAgencies,
                request.ExternalReference,
            }, Json), DistrictCode: district, Justification: justification));
        var grants = granted.Select(agency => NewGrant(agency, GrantableCameras(), opener.Actor)).ToArray();
        var issuing = Issuer.IssueAllAsync(grants);
        // The watchdog too, before the incident's row: an incident is never recorded without the reminder that closes it
        // proactively (a process that died between the two used to leave one), while a reminder whose opening failed finds
        // no incident when it fires and unregisters itself.
        var watching = this.RegisterOrUpdateReminder(WatchdogReminder, Options.WatchdogPeriod, Options.WatchdogPeriod);
        try
        {
            await Task.WhenAll(issuing, recording, watching);
            S.Grants.AddRange(issuing.Result);
            stages.Lap("grants");
            AddTimeline("opened", $"{EnumNames<IncidentType>.NameOf(request.Type)} opened in {district} with {S.Cameras.Count} cameras for {Listed(granted)}{LeftOutSuffix(leftOut)}"
                + (S.PendingReview ? $"; awaiting a supervisor's review before {Listed(S.PendingAgencies)} are granted" : "")
                + (justification is null ? "" : $". Why: {justification}"), opener.Actor);
            await state.WriteStateAsync();
        }
        catch (Exception failure)
        {
            await WithdrawFailedOpeningAsync(grants, failure);
            throw;
        }
        ArmDueTimer();
        stages.Lap("state");

        await PrewarmAsync(S.Cameras);
        stages.Lap("prewarm");
        var view = await ViewAsync();
        await AnnounceAsync(view, DashboardEventNames.IncidentOpened, S.Grants.Select(g => (g.AgencyId, g.CameraIds)));
        stages.Lap("announce");
        return view;
    }

    /// <summary>
    /// An opening that failed before the incident's row was written leaves no incident to close its grants: they are
    /// withdrawn now (each withdrawal in the ledger, after the grant's own row), including any whose issue is still under
    /// way after a timeout here, and this activation, whose memory holds the opening that did not happen, is dropped so that
    /// a retry starts afresh.
    /// </summary>
    private async Task WithdrawFailedOpeningAsync(AccessGrant[] grants, Exception failure)
    {
        DeactivateOnIdle();
        try
        {
            await Task.WhenAll(grants.Select(grant => Issuer.WithdrawAsync(grant, "opening failed before the incident was recorded")));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Incident {Incident} failed to open ({Failure}) and its grants could not all be withdrawn; each still ends at its absolute expiry",
                Id, failure.Message);
        }
    }

    public async ValueTask<IncidentView?> GetAsync() => S.Request is null ? null : await ViewAsync();

    public async Task<IncidentView> MoveAsync(GeoPoint position, string actor)
    {
        EnsureOpen();
        var district = LocateInRegion(position);
        var from = S.DistrictCode;
        S.Position = position;
        S.DistrictCode = district;
        var before = S.Cameras.Select(c => c.CameraId).ToHashSet();
        // Responders follow the place: those left behind first (so they are not granted the new cameras), then the regrant, then the newcomers.
        var (joining, leaving) = district == from ? (Array.Empty<string>(), Array.Empty<string>()) : await RespondersAtNewPlaceAsync(from, district);
        var leftOut = await SelectCamerasAsync(CameraResponders(leaving, joining));
        var after = S.Cameras.Select(c => c.CameraId).ToHashSet();
        var added = after.Where(id => !before.Contains(id)).ToArray();
        AddTimeline("moved", $"Moved to ({position.Latitude:F5}, {position.Longitude:F5}) in {district}: {added.Length} cameras added, {before.Count(id => !after.Contains(id))} released after grace{LeftOutSuffix(leftOut)}", actor);
        await LeaveAsync(leaving, actor);
        var granted = await RegrantAsync(before, actor);
        var joined = await JoinAsync(joining, actor);
        if (joining.Length > 0)
            AddTimeline("responders-joined", S.PendingReview ? $"{Listed(joining)} respond here; granted once a supervisor confirms" : $"{Listed(joined.Select(j => j.Agency))} joined with a grant each", actor);
        granted.AddRange(joined);
        await PrewarmAsync(S.Cameras.Where(c => added.Contains(c.CameraId)));
        await state.WriteStateAsync();
        ArmDueTimer();
        var view = await ViewAsync();
        await AnnounceAsync(view, DashboardEventNames.IncidentUpdated, granted);
        return view;
    }

    public async Task<IncidentView> EscalateAsync(string[] addAgencies, double? radiusMeters, int? priority, string actor)
    {
        EnsureOpen();
        var held = (S.RadiusSetByHand, S.PrioritySetByHand);
        (S.RadiusSetByHand, S.PrioritySetByHand) = (radiusMeters ?? S.RadiusSetByHand, priority ?? S.PrioritySetByHand);
        try
        {
            return await ChangeAsync(addAgencies, radiusMeters, priority, actor);
        }
        catch
        {
            (S.RadiusSetByHand, S.PrioritySetByHand) = held;
            throw;
        }
    }

    public async Task<IncidentView> FollowAlertAsync(GeoPoint position, double radiusMeters, int priority, string actor)
    {
        EnsureOpen();
        if (GeoMath.DistanceMeters(position, S.Position) > 1) await MoveAsync(position, actor);
        return await ChangeAsync([], Math.Max(radiusMeters, S.RadiusSetByHand ?? 0), Math.Min(priority, S.PrioritySetByHand ?? int.MaxValue), actor);
    }

    private async Task<IncidentView> ChangeAsync(string[] addAgencies, double? radiusMeters, int? priority, string actor)
    {
        if (priority is { } p && p is < 1 or > 5) throw DomainException.Invalid("priority must be between 1 (highest) and 5.");
        if (radiusMeters is { } r) ValidateRadius(r);
        var named = NamedResponders(addAgencies, await agencyDirectory.GetAsync(addAgencies), S.Request!.Type, Options.For(S.Request.Type));
        var newcomers = named.Where(a => !IsActiveResponder(a) && !S.PendingAgencies.Contains(a)).ToArray();

        var granted = await JoinAsync(newcomers, actor);
        var reselect = newcomers.Length > 0;
        var changes = new List<string>();
        if (newcomers.Length > 0) changes.Add((S.PendingReview ? "agencies to grant once confirmed: " : "agencies added: ") + string.Join(", ", newcomers));
        if (priority is { } newPriority && newPriority != S.Priority)
        {
            changes.Add($"priority {S.Priority} → {newPriority}");
            S.Priority = newPriority;
            S.Grants = S.Grants.Select(g => g with { Priority = newPriority }).ToList();
            await Issuer.ReprioritiseAsync([.. S.Grants]);
        }
        if (radiusMeters is { } newRadius && Math.Abs(newRadius - S.RadiusMeters) > 0.01)
        {
            changes.Add($"radius {S.RadiusMeters:F0} m → {newRadius:F0} m");
            S.RadiusMeters = newRadius;
            reselect = true;
        }
        // A wider radius reaches more cameras, and a new responder may view cameras nobody could before.
        if (reselect)
        {
            var before = S.Cameras.Select(c => c.CameraId).ToHashSet();
            if (await SelectCamerasAsync(CameraResponders()) is { } leftOut) changes.Add(leftOut);
            granted.AddRange(await RegrantAsync(before, actor));
        }
        if (changes.Count == 0) return await ViewAsync();
        AddTimeline("escalated", string.Join("; ", changes), actor);
        await state.WriteStateAsync();
        ArmDueTimer();
        var view = await ViewAsync();
        await AnnounceAsync(view, DashboardEventNames.IncidentUpdated, granted.Where(g => g.Cameras.Length > 0));
        return view;
    }

    public async Task<IncidentView> CloseAsync(string reason, string actor)
    {
        if (S.Request is null) throw DomainException.NotFound($"There is no incident '{Id}'.");
        if (S.Status != IncidentStatus.Open) throw DomainException.Conflict($"Incident '{Id}' is already {EnumNames<IncidentStatus>.NameOf(S.Status)}.");
        var now = clock.GetUtcNow();
        S.Status = IncidentStatus.Closing;
        S.ClosedAt = now;
        S.GraceUntil = now + Options.ClosingGrace;
        foreach (var grant in S.Grants)
            await Issuer.ShortenAsync(grant, grant.CameraIds, S.GraceUntil.Value, $"incident {reason}");
        S.Grants = S.Grants.Select(g => g with { ExpiresAt = g.ExpiresAt < S.GraceUntil.Value ? g.ExpiresAt : S.GraceUntil.Value }).ToList();
        AddTimeline("closed", $"Closed ({reason}); access ends at {S.GraceUntil:O}", actor);
        await state.WriteStateAsync();
        await EndPrewarmAsync(S.Cameras.Select(c => c.CameraId));
        await audit.AppendAsync(new AuditEntry(now, AuditKinds.IncidentClose, "allow", reason, IncidentId: Id, Actor: actor, DistrictCode: S.DistrictCode));
        await SyncDirectoryAsync();
        var view = await ViewAsync();
        await PublishAsync(ViewEvents(DashboardEventNames.IncidentClosed, view));
        if (Options.ClosingGrace <= TimeSpan.Zero) await FinishAsync();
        else ArmDueTimer();
        return await ViewAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WatchdogReminder) return;
        await ProcessDueAsync();
        if (S.Request is null || (S.Status == IncidentStatus.Closed && !_directoryStale && !_dashboardsStale))
        {
            var reminder = await this.GetReminder(WatchdogReminder);
            if (reminder is not null) await this.UnregisterReminder(reminder);
        }
    }

    private async Task ProcessDueAsync()
    {
        if (S.Request is null) return;
        if (_directoryStale) await SyncDirectoryAsync();
        if (_dashboardsStale) await RepublishAsync();
        var now = clock.GetUtcNow();
        if (S.Status == IncidentStatus.Open && now >= S.ExpiresAt) await CloseAsync("expired", "system");
        if (S.Status == IncidentStatus.Closing && now >= S.GraceUntil) await FinishAsync();
        if (S.Status != IncidentStatus.Closed && S.Departures.Any(d => d.At <= now)) await EndDeparturesAsync(now);
        var due = S.PendingReleases.Where(p => p.At <= now).ToList();
        if (due.Count > 0)
        {
            var current = S.Cameras.Select(c => c.CameraId).ToHashSet();
            var released = due.SelectMany(p => p.CameraIds).Where(id => !current.Contains(id)).Distinct().ToArray();
            S.PendingReleases.RemoveAll(due.Contains);
            await state.WriteStateAsync();
            await EndPrewarmAsync(released);
            if (released.Length > 0 && S.Status != IncidentStatus.Closed)
                await PublishAsync(S.Agencies.Select(a => Event(DashboardEventNames.AccessRevoked, [a],
                    new { incidentId = Id, agencyId = a, cameraIds = released, reason = "incident-moved" })).ToArray());
        }
        ArmDueTimer();
    }

    /// <summary>The end of the closing grace: revoke every grant everywhere and say so.</summary>
    private async Task FinishAsync()
    {
        foreach (var grant in S.Grants) await Issuer.RevokeAsync(grant, "incident closed");
        S.Status = IncidentStatus.Closed;
        S.PendingReleases.Clear();
        S.Departures.Clear();
        AddTimeline("access-revoked", "Grace period over; every grant of this incident is revoked", "system");
        await state.WriteStateAsync();
        await SyncDirectoryAsync();
        await PublishAsync(S.Grants.Select(g => Event(DashboardEventNames.AccessRevoked, [g.AgencyId],
            new { incidentId = Id, agencyId = g.AgencyId, cameraIds = g.CameraIds, reason = "incident-closed" })).ToArray());
        _dueTimer?.Dispose();
        _dueTimer = null;
    }

    /// <summary>
    /// After the camera set changed: every staying responder's grant follows it — new cameras at once, cameras left behind
    /// after the move grace. Returns what each agency was newly granted.
    /// </summary>
    private async Task<List<(string Agency, string[] Cameras)>> RegrantAsync(IReadOnlySet<string> before, string actor)
    {
        var releaseAt = clock.GetUtcNow() + Options.MoveGrace;
        var granted = new List<(string Agency, string[] Cameras)>();
        var wanted = GrantableCameras();
        for (var i = 0; i < S.Grants.Count; i++)
        {
            var grant = S.Grants[i];
            if (IsDeparting(grant.AgencyId)) continue;
            var added = wanted.Where(id => !grant.CameraIds.Contains(id)).ToArray();
            var removed = grant.CameraIds.Where(id => !wanted.Contains(id)).ToArray();
            if (removed.Length > 0) await Issuer.ShortenAsync(grant, removed, releaseAt, "incident moved");
            S.Grants[i] = added.Length > 0 ? await Issuer.IssueAsync(grant with { CameraIds = wanted, IssuedBy = actor }) : grant with { CameraIds = wanted };
            if (added.Length > 0) granted.Add((grant.AgencyId, added));
        }
        var left = before.Where(id => !S.Cameras.Any(c => c.CameraId == id)).ToArray();
        if (left.Length > 0) S.PendingReleases.Add(new PendingRelease(left, releaseAt));
        return granted;
    }

    /// <summary>
    /// Holds the streams of the best few cameras warm for the incident's life, so the first viewer finds a playlist ready.
    /// Grants nobody anything. Its end (<see cref="EndPrewarmAsync"/>) comes at closing, or at a move's release of the camera;
    /// the incident's expiry bounds it should that never arrive.
    /// </summary>
    private Task PrewarmAsync(IEnumerable<SelectedCamera> cameras) =>
        Task.WhenAll(cameras.Take(leaseOptions.Value.PrewarmCount).Select(c => GrainFactory.GetGrain<ICameraGrain>(c.CameraId).PrewarmAsync(Id, S.ExpiresAt)));

    private Task EndPrewarmAsync(IEnumerable<string> cameraIds) =>
        Task.WhenAll(cameraIds.Select(id => GrainFactory.GetGrain<ICameraGrain>(id).EndPrewarmAsync(Id)));

    private AccessGrant NewGrant(string agencyId, string[] cameraIds, string actor)
    {
        var settings = Options.For(S.Request!.Type);
        // A person's incident lifts no privacy mask until a supervisor has confirmed it.
        return new AccessGrant($"{Id}/{agencyId}", agencyId, settings.GrantPurpose, Id, clock.GetUtcNow(), S.ExpiresAt + Options.ClosingGrace, cameraIds, IssuedBy: actor,
            Unmasked: settings.GrantsUnmasked && !S.PendingReview, Ptz: settings.GrantsPtz && !S.PendingReview, RecordedVideo: settings.GrantsRecordedVideo && !S.PendingReview,
            Priority: S.Priority);
    }

    /// <summary>Every selected camera; while a person's incident awaits review, only those inside the opener's jurisdiction.</summary>
    private string[] GrantableCameras() => S.PendingReview && S.OpenerAgency is { } opener
        ? IncidentAuthority.ProvisionalCameras(opener, S.Cameras)
        : S.Cameras.Select(c => c.CameraId).ToArray();

    /// <summary>Agencies a caller names must be registered (else 400) and of a kind that responds to the type (else 403).</summary>
    private static string[] NamedResponders(string[] requested, IReadOnlyDictionary<string, AgencyInfo> agencies, IncidentType type, IncidentTypeSettings settings)
    {
        foreach (var id in requested.Distinct())
        {
            if (!agencies.TryGetValue(id, out var agency)) throw DomainException.Invalid($"Agency '{id}' is not registered.");
            if (IncidentAuthority.RefuseResponder(agency, type, settings) is { } refusal) throw DomainException.Forbidden(refusal);
        }
        return requested.Distinct().ToArray();
    }

    private static string Listed(IEnumerable<string> agencies) => agencies.Any() ? string.Join(", ", agencies) : "no agency";

    private string LocateInRegion(GeoPoint position) =>
        position.IsFinite ? locator.Locate(position) ?? throw DomainException.Invalid($"({position.Latitude}, {position.Longitude}) is outside {locator.Region.DisplayName}.")
            : throw DomainException.Invalid("The position must be finite WGS84 degrees.");

    private static void ValidateRadius(double radius)
    {
        if (!double.IsFinite(radius) || radius <= 0 || radius > 5000) throw DomainException.Invalid("radiusMeters must be in (0, 5000].");
    }

    private void EnsureOpen()
    {
        if (S.Request is null) throw DomainException.NotFound($"There is no incident '{Id}'.");
        if (S.Status != IncidentStatus.Open) throw DomainException.Conflict($"Incident '{Id}' is {EnumNames<IncidentStatus>.NameOf(S.Status)}; it can no longer change.");
    }

    private void AddTimeline(string kind, string text, string actor) => S.Timeline.Add(new TimelineEntry(clock.GetUtcNow(), kind, text, actor));

    private void ArmDueTimer()
    {
        _dueTimer?.Dispose();
        _dueTimer = null;
        var candidates = new List<DateTimeOffset>();
        if (S.Status == IncidentStatus.Open) candidates.Add(S.ExpiresAt);
        if (S.Status == IncidentStatus.Closing && S.GraceUntil is { } grace) candidates.Add(grace);
        candidates.AddRange(S.PendingReleases.Select(p => p.At));
        if (S.Status != IncidentStatus.Closed) candidates.AddRange(S.Departures.Select(d => d.At));
        if (candidates.Count == 0) return;
        var due = candidates.Min() - clock.GetUtcNow();
        if (due > TimeSpan.FromDays(1)) return;
        _dueTimer = this.RegisterGrainTimer(ProcessDueAsync, new GrainTimerCreationOptions(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task<IncidentView> ViewAsync()
    {
        var request = S.Request!;
        return WithPerson(new IncidentView(Id, request.Type, S.Status, S.Position, S.DistrictCode, S.Priority, request.ExternalReference, request.Address,
            request.Description, [.. S.Agencies], S.RadiusMeters, [.. S.Cameras], [.. S.Grants], [.. S.Timeline], await ContextAsync(),
            S.OpenedAt, S.ExpiresAt, S.ClosedAt, S.GraceUntil, OpenedByActor, OpenerAgencyId, S.Justification, S.PendingReview,
            [.. S.PendingAgencies], [.. S.ReviewingAgencies], S.ConfirmedBy, S.ConfirmedAt) { Purpose = Options.For(request.Type).GrantPurpose });
    }

    /// <summary>Fire crews and disaster rooms need the nearest hydrants, where trucks can park and what is stored next door.</summary>
    private async Task<IReadOnlyList<ContextFeature>> ContextAsync()
    {
        if (S.Request!.Type is not (IncidentType.Dispatch119 or IncidentType.DisasterResponse)) return [];
        var radius = Math.Max(S.RadiusMeters, 1000);
        var layers = await Task.WhenAll(ContextLayers.ForResponders.Select(layer =>
            GrainFactory.GetGrain<IContextLayerGrain>(layer).NearbyAsync(S.Position, radius, ContextLayers.NearestForIncident(layer)).AsTask()));
        return layers.SelectMany(l => l).OrderBy(f => f.DistanceMeters).ToArray();
    }

    private async Task SyncDirectoryAsync()
    {
        _directoryStale = true;
        await GrainFactory.GetGrain<IIncidentDirectoryGrain>(0).UpsertAsync(Summary());
        _directoryStale = false;
    }

    private IncidentSummary Summary() => new(Id, S.Request!.Type, S.Status, S.DistrictCode, S.Priority, S.Position, S.OpenedAt, [.. S.Agencies],
        S.Request.ExternalReference, OpenerAgencyId, S.PendingReview, [.. S.ReviewingAgencies], S.ClosedAt);

    /// <summary>"agency/operator" of whoever opened it; incidents opened before openers were recorded name them in their first timeline entry.</summary>
    private string OpenedByActor => S.OpenedBy?.Actor ?? S.Timeline.FirstOrDefault()?.Actor ?? "";

    private string OpenerAgencyId => S.OpenedBy?.AgencyId ?? OpenedByActor.Split('/')[0];

    /// <summary>Who receives the incident's own events: whoever may see it (<see cref="IncidentAudience"/>).</summary>
    private string[] Audience() => S.Agencies.Append(OpenerAgencyId).Concat(S.PendingReview ? S.ReviewingAgencies : [])
        .Where(a => a.Length > 0).Distinct().ToArray();

    private async Task AnnounceAsync(IncidentView view, string name, IEnumerable<(string Agency, string[] Cameras)> grants)
    {
        await SyncDirectoryAsync();
        var events = new List<DashboardEvent>(ViewEvents(name, view));
        var expiresAt = S.ExpiresAt + Options.ClosingGrace;
        events.AddRange(grants.Select(g => Event(DashboardEventNames.AccessGranted, [g.Agency],
                new { incidentId = Id, agencyId = g.Agency, cameraIds = g.Cameras, expiresAt })
            with { CardJson = JsonSerializer.Serialize(new GrantCard(Id, g.Agency, g.Cameras.Length, expiresAt), Json) }));
        await PublishAsync([.. events]);
    }

    private DashboardEvent Event(string name, string[] audience, object payload) =>
        new(name, Id, S.DistrictCode, audience, JsonSerializer.Serialize(payload, Json), clock.GetUtcNow());

    /// <summary>The whole view for screens that opened the incident, its card for the agency's other screens.</summary>
    private DashboardEvent ViewEvent(string name, string[] audience, IncidentView view) =>
        Event(name, audience, view) with { CardJson = JsonSerializer.Serialize(IncidentCard.Of(view), Json) };

    /// <summary>
    /// The change is durable and listed before it is published, so a publish that fails with its silo does not fail the
    /// caller: the watchdog sends the current view again, and dashboards that missed the event see a new sequencer epoch.
    /// </summary>
    private async Task PublishAsync(params DashboardEvent[] events)
    {
        try
        {
            await GrainFactory.GetGrain<IEventPublisherGrain>(0).PublishAsync(events);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            _dashboardsStale = true;
        }
    }

    private async Task RepublishAsync()
    {
        _dashboardsStale = false;
        await PublishAsync(ViewEvents(S.Status == IncidentStatus.Open ? DashboardEventNames.IncidentUpdated : DashboardEventNames.IncidentClosed, await ViewAsync()));
    }
}
