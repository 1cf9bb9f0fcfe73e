using System.Text.Json;
using SafetyNet.Contracts;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Grains.Configuration;
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
public sealed class IncidentGrain(
    [PersistentState("incident", StorageNames.Default)] IPersistentState<IncidentState> state,
    CameraIndex index,
    DistrictLocator locator,
    IOptions<IncidentOptions> options,
    IOptions<LeaseOptions> leaseOptions,
    TimeProvider clock) : Grain, IIncidentGrain, IRemindable
{
    private const string WatchdogReminder = "incident-watchdog";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private IGrainTimer? _dueTimer;
    // The directory (what incident lists show) is told of every change; until it has acknowledged the latest one, the
    // watchdog keeps retrying, so a directory call lost to a dying silo cannot leave a closed incident listed as open.
    private bool _directoryStale = true;

    private string Id => this.GetPrimaryKeyString();
    private IncidentState S => state.State;
    private IncidentOptions Options => options.Value;
    private IGrantIssuerGrain Issuer => GrainFactory.GetGrain<IGrantIssuerGrain>(0);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Request is not null && S.Status != IncidentStatus.Closed) ArmDueTimer();
        return Task.CompletedTask;
    }

    public async Task<IncidentView> OpenAsync(OpenIncident request, string actor)
    {
        if (S.Request is not null) return await ViewAsync();
        if (request.Priority is < 1 or > 5) throw DomainException.Invalid("priority must be between 1 (highest) and 5.");
        var district = LocateInSeoul(request.Position);
        var settings = Options.For(request.Type);
        var radius = request.RadiusMeters ?? settings.RadiusMeters;
        ValidateRadius(radius);
        var agencies = await ResolveAgenciesAsync(request.Agencies, settings, district);

        var now = clock.GetUtcNow();
        S.Request = request;
        S.Status = IncidentStatus.Open;
        S.Position = request.Position;
        S.DistrictCode = district;
        S.Priority = request.Priority;
        S.Agencies = [.. agencies];
        S.RadiusMeters = radius;
        S.OpenedAt = now;
        S.ExpiresAt = now + settings.MaxDuration;
        S.Cameras = [.. CameraSelector.Select(index.Current, request.Position, settings, radius)];
        var cameraIds = S.Cameras.Select(c => c.CameraId).ToArray();
        S.Grants.AddRange(await Issuer.IssueAllAsync(agencies.Select(agency => NewGrant(agency, cameraIds, actor)).ToArray()));
        AddTimeline("opened", $"{EnumNames<IncidentType>.NameOf(request.Type)} opened in {district} with {cameraIds.Length} cameras for {string.Join(", ", agencies)}", actor);
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(WatchdogReminder, Options.WatchdogPeriod, Options.WatchdogPeriod);
        ArmDueTimer();

        await PrewarmAsync(S.Cameras);
        var view = await ViewAsync();
        await AnnounceAsync(view, DashboardEventNames.IncidentOpened, S.Agencies, S.Grants.Select(g => (g.AgencyId, g.CameraIds)));
        return view;
    }

    public async ValueTask<IncidentView?> GetAsync() => S.Request is null ? null : await ViewAsync();

    public async Task<IncidentView> MoveAsync(GeoPoint position, string actor)
    {
        EnsureOpen();
        var district = LocateInSeoul(position);
        S.Position = position;
        S.DistrictCode = district;
        var (added, removed) = await ReselectAsync(actor);
        await PrewarmAsync(S.Cameras.Where(c => added.Contains(c.CameraId)));
        AddTimeline("moved", $"Moved to ({position.Latitude:F5}, {position.Longitude:F5}) in {district}: {added.Length} cameras added, {removed.Length} released after grace", actor);
        await state.WriteStateAsync();
        ArmDueTimer();
        var view = await ViewAsync();
        await AnnounceAsync(view, DashboardEventNames.IncidentUpdated, S.Agencies, added.Length == 0 ? [] : S.Agencies.Select(a => (a, added)));
        return view;
    }

    public async Task<IncidentView> EscalateAsync(string[] addAgencies, double? radiusMeters, int? priority, string actor)
    {
        EnsureOpen();
        if (priority is { } p && p is < 1 or > 5) throw DomainException.Invalid("priority must be between 1 (highest) and 5.");
        if (radiusMeters is { } r) ValidateRadius(r);
        var newcomers = addAgencies.Distinct().Where(a => !S.Agencies.Contains(a)).ToArray();
        foreach (var agency in newcomers)
            if (await GrainFactory.GetGrain<IAgencyGrain>(agency).GetAsync() is null)
                throw DomainException.Invalid($"Agency '{agency}' is not registered.");

        var granted = new List<(string Agency, string[] Cameras)>();
        var cameraIds = S.Cameras.Select(c => c.CameraId).ToArray();
        foreach (var agency in newcomers)
        {
            S.Agencies.Add(agency);
            S.Grants.Add(await Issuer.IssueAsync(NewGrant(agency, cameraIds, actor)));
            granted.Add((agency, cameraIds));
        }
        var changes = new List<string>();
        if (newcomers.Length > 0) changes.Add($"agencies added: {string.Join(", ", newcomers)}");
        if (priority is { } newPriority && newPriority != S.Priority)
        {
            changes.Add($"priority {S.Priority} → {newPriority}");
            S.Priority = newPriority;
        }
        if (radiusMeters is { } newRadius && Math.Abs(newRadius - S.RadiusMeters) > 0.01)
        {
            changes.Add($"radius {S.RadiusMeters:F0} m → {newRadius:F0} m");
            S.RadiusMeters = newRadius;
            var (added, _) = await ReselectAsync(actor);
            granted.AddRange(S.Agencies.Except(newcomers).Select(a => (a, added)));
        }
        if (changes.Count == 0) return await ViewAsync();
        AddTimeline("escalated", string.Join("; ", changes), actor);
        await state.WriteStateAsync();
        ArmDueTimer();
        var view = await ViewAsync();
        await AnnounceAsync(view, DashboardEventNames.IncidentUpdated, S.Agencies, granted.Where(g => g.Cameras.Length > 0));
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
        await SyncDirectoryAsync();
        var view = await ViewAsync();
        await PublishAsync(Event(DashboardEventNames.IncidentClosed, [.. S.Agencies], view));
        if (Options.ClosingGrace <= TimeSpan.Zero) await FinishAsync();
        else ArmDueTimer();
        return await ViewAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WatchdogReminder) return;
        await ProcessDueAsync();
        if (S.Request is null || (S.Status == IncidentStatus.Closed && !_directoryStale))
        {
            var reminder = await this.GetReminder(WatchdogReminder);
            if (reminder is not null) await this.UnregisterReminder(reminder);
        }
    }

    private async Task ProcessDueAsync()
    {
        if (S.Request is null) return;
        if (_directoryStale) await SyncDirectoryAsync();
        var now = clock.GetUtcNow();
        if (S.Status == IncidentStatus.Open && now >= S.ExpiresAt) await CloseAsync("expired", "system");
        if (S.Status == IncidentStatus.Closing && now >= S.GraceUntil) await FinishAsync();
        var due = S.PendingReleases.Where(p => p.At <= now).ToList();
        if (due.Count > 0)
        {
            var current = S.Cameras.Select(c => c.CameraId).ToHashSet();
            var released = due.SelectMany(p => p.CameraIds).Where(id => !current.Contains(id)).Distinct().ToArray();
            S.PendingReleases.RemoveAll(due.Contains);
            await state.WriteStateAsync();
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
        AddTimeline("access-revoked", "Grace period over; every grant of this incident is revoked", "system");
        await state.WriteStateAsync();
        await SyncDirectoryAsync();
        await PublishAsync(S.Grants.Select(g => Event(DashboardEventNames.AccessRevoked, [g.AgencyId],
            new { incidentId = Id, agencyId = g.AgencyId, cameraIds = g.CameraIds, reason = "incident-closed" })).ToArray());
        _dueTimer?.Dispose();
        _dueTimer = null;
    }

    private async Task<(string[] Added, string[] Removed)> ReselectAsync(string actor)
    {
        var settings = Options.For(S.Request!.Type);
        var before = S.Cameras.Select(c => c.CameraId).ToHashSet();
        S.Cameras = [.. CameraSelector.Select(index.Current, S.Position, settings, S.RadiusMeters)];
        var after = S.Cameras.Select(c => c.CameraId).ToArray();
        var added = after.Where(id => !before.Contains(id)).ToArray();
        var removed = before.Where(id => !after.Contains(id)).ToArray();
        var releaseAt = clock.GetUtcNow() + Options.MoveGrace;
        for (var i = 0; i < S.Grants.Count; i++)
        {
            var grant = S.Grants[i];
            if (removed.Length > 0) await Issuer.ShortenAsync(grant, removed, releaseAt, "incident moved");
            S.Grants[i] = added.Length > 0 ? await Issuer.IssueAsync(grant with { CameraIds = after, IssuedBy = actor }) : grant with { CameraIds = after };
        }
        if (removed.Length > 0) S.PendingReleases.Add(new PendingRelease(removed, releaseAt));
        return (added, removed);
    }

    /// <summary>Starts relays for the best few cameras so the first viewer finds a playlist ready. Grants nobody anything.</summary>
    private Task PrewarmAsync(IEnumerable<SelectedCamera> cameras)
    {
        var until = clock.GetUtcNow() + leaseOptions.Value.PrewarmWindow;
        return Task.WhenAll(cameras.Take(leaseOptions.Value.PrewarmCount).Select(c => GrainFactory.GetGrain<ICameraGrain>(c.CameraId).PrewarmAsync(until)));
    }

    private AccessGrant NewGrant(string agencyId, string[] cameraIds, string actor)
    {
        var settings = Options.For(S.Request!.Type);
        return new AccessGrant($"{Id}/{agencyId}", agencyId, settings.GrantPurpose, Id, clock.GetUtcNow(), S.ExpiresAt + Options.ClosingGrace, cameraIds, IssuedBy: actor);
    }

    private async Task<string[]> ResolveAgenciesAsync(string[]? requested, IncidentTypeSettings settings, string district)
    {
        if (requested is { Length: > 0 })
        {
            foreach (var id in requested)
                if (await GrainFactory.GetGrain<IAgencyGrain>(id).GetAsync() is null)
                    throw DomainException.Invalid($"Agency '{id}' is not registered.");
            return requested.Distinct().ToArray();
        }
        var resolved = ResponderResolver.Resolve(await GrainFactory.GetGrain<IAgencyDirectoryGrain>(0).ListAsync(), settings, district);
        return resolved.Length > 0 ? resolved : throw DomainException.Invalid($"No registered agency responds to this kind of incident in district {district}; name the agencies.");
    }

    private string LocateInSeoul(GeoPoint position) =>
        position.IsFinite ? locator.Locate(position) ?? throw DomainException.Invalid($"({position.Latitude}, {position.Longitude}) is outside Seoul.")
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
        if (candidates.Count == 0) return;
        var due = candidates.Min() - clock.GetUtcNow();
        if (due > TimeSpan.FromDays(1)) return;
        _dueTimer = this.RegisterGrainTimer(ProcessDueAsync, new GrainTimerCreationOptions(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task<IncidentView> ViewAsync()
    {
        var request = S.Request!;
        return new IncidentView(Id, request.Type, S.Status, S.Position, S.DistrictCode, S.Priority, request.ExternalReference, request.Address,
            request.Description, [.. S.Agencies], S.RadiusMeters, [.. S.Cameras], [.. S.Grants], [.. S.Timeline], await ContextAsync(),
            S.OpenedAt, S.ExpiresAt, S.ClosedAt, S.GraceUntil);
    }

    /// <summary>Fire crews and disaster rooms need to know where trucks can park and what is stored next door.</summary>
    private async Task<IReadOnlyList<ContextFeature>> ContextAsync()
    {
        if (S.Request!.Type is not (IncidentType.Dispatch119 or IncidentType.DisasterResponse)) return [];
        var radius = Math.Max(S.RadiusMeters, 1000);
        var layers = await Task.WhenAll(ContextLayers.ForResponders.Select(layer =>
            GrainFactory.GetGrain<IContextLayerGrain>(layer).NearbyAsync(S.Position, radius, 20).AsTask()));
        return layers.SelectMany(l => l).OrderBy(f => f.DistanceMeters).ToArray();
    }

    private async Task SyncDirectoryAsync()
    {
        _directoryStale = true;
        await GrainFactory.GetGrain<IIncidentDirectoryGrain>(0).UpsertAsync(Summary());
        _directoryStale = false;
    }

    private IncidentSummary Summary() => new(Id, S.Request!.Type, S.Status, S.DistrictCode, S.Priority, S.Position, S.OpenedAt, [.. S.Agencies], S.Request.ExternalReference);

    private async Task AnnounceAsync(IncidentView view, string name, IEnumerable<string> audience, IEnumerable<(string Agency, string[] Cameras)> grants)
    {
        await SyncDirectoryAsync();
        var events = new List<DashboardEvent> { Event(name, audience.ToArray(), view) };
        events.AddRange(grants.Select(g => Event(DashboardEventNames.AccessGranted, [g.Agency],
            new { incidentId = Id, agencyId = g.Agency, cameraIds = g.Cameras, expiresAt = S.ExpiresAt + Options.ClosingGrace })));
        await PublishAsync([.. events]);
    }

    private DashboardEvent Event(string name, string[] audience, object payload) =>
        new(name, Id, S.DistrictCode, audience, JsonSerializer.Serialize(payload, Json), clock.GetUtcNow());

    private Task PublishAsync(params DashboardEvent[] events) => GrainFactory.GetGrain<IEventPublisherGrain>(0).PublishAsync(events);
}
