using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Media;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Contracts.Ptz;
using SafetyNet.Contracts.Sessions;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Grains.Ptz;

/// <summary>
/// One camera's PTZ control, beside (not inside) its <c>CameraGrain</c>: the lock is short-lived, volatile state with its own
/// timer and slow network calls to the camera's ONVIF device, none of which should hold up the camera grain's lease checks on
/// every media request. The camera grain stays the authority on leases; this grain asks it for the caller's lease on every
/// request and for the holder's lease once a second. If this grain's silo dies the lock is simply gone (nobody holds it).
/// </summary>
public sealed class PtzGrain(
    IAuditLedger audit,
    OnvifHttp http,
    IOptions<PtzOptions> options,
    IOptions<StreamUrlOptions> urlPolicy,
    TimeProvider clock,
    ILogger<PtzGrain> logger) : Grain, IPtzGrain
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly PtzLock _lock = new(clock, options.Value.LockTimeout);
    private HttpClient? _http;
    private OnvifPtzClient? _client;
    private string? _clientUrl;
    private PtzPreset[]? _presets;
    private IGrainTimer? _watch;
    private string? _districtCode;

    private string Id => this.GetPrimaryKeyString();
    private ICameraGrain Camera => GrainFactory.GetGrain<ICameraGrain>(Id);

    public async Task<PtzOutcome> GetAsync(OperatorPrincipal caller)
    {
        await SettleAsync();
        var leases = await LeasesOfAsync(caller);
        if (leases.Length == 0) return PtzOutcome.Refused(PtzRefusals.NoLease);
        var camera = await Camera.GetAsync();
        var mayControl = leases.Any(l => l.Ptz);
        if (mayControl && camera?.OnvifUrl is { } url && _presets is null)
        {
            try
            {
                _presets = await ClientFor(url).GetPresetsAsync();
            }
            catch (OnvifException e)
            {
                logger.LogWarning("Camera {Camera}'s presets could not be read: {Reason}", Id, e.Message);
            }
        }
        return new PtzOutcome(View(caller, camera, mayControl));
    }

    public async Task<PtzOutcome> LockAsync(OperatorPrincipal caller)
    {
        await SettleAsync();
        var (lease, refusal) = await PtzLeaseAsync(caller);
        var camera = await Camera.GetAsync();
        refusal ??= camera?.OnvifUrl is null ? PtzRefusals.NoDevice : null;
        if (refusal is not null || lease is null)
        {
            await AuditAsync(AuditKinds.PtzLock, "deny", refusal, caller, lease, new { });
            return PtzOutcome.Refused(refusal!);
        }
        var result = _lock.Acquire(new PtzLockHolder(lease.LeaseId, lease.SessionId, lease.AgencyId, lease.OperatorId, lease.Priority, lease.IncidentId));
        if (result.Outcome == PtzLockOutcome.Refused)
        {
            var holder = LockView(result.Previous!, result.Until, caller);
            await AuditAsync(AuditKinds.PtzLock, "deny", PtzRefusals.Locked, caller, lease,
                new { holder = result.Previous!.AgencyId, holderPriority = result.Previous.Priority, until = result.Until, priority = lease.Priority });
            return PtzOutcome.Refused(PtzRefusals.Locked, holder);
        }
        if (result.Outcome == PtzLockOutcome.Preempted) await TellPreemptedAsync(result.Previous!, lease);
        await AuditAsync(AuditKinds.PtzLock, result.Outcome == PtzLockOutcome.Preempted ? "preempt" : result.Outcome == PtzLockOutcome.Renewed ? "renew" : "acquire",
            null, caller, lease, new { until = result.Until, priority = lease.Priority, preempted = result.Outcome == PtzLockOutcome.Preempted ? result.Previous!.AgencyId : null });
        Watch();
        return new PtzOutcome(View(caller, camera, mayControl: true));
    }

    public async Task<PtzOutcome> ReleaseAsync(OperatorPrincipal caller)
    {
        await SettleAsync();
        if (caller.SessionId is null || _lock.Release(caller.SessionId) is not { } holder)
            return PtzOutcome.Refused(PtzRefusals.NotLockHolder, _lock.Holder is { } other ? LockView(other, _lock.Until, caller) : null);
        await EndedAsync(holder, "released");
        return new PtzOutcome(View(caller, await Camera.GetAsync(), mayControl: true));
    }

    public async Task<PtzOutcome> CommandAsync(OperatorPrincipal caller, PtzCommand command)
    {
        if (PtzCommandRules.Problem(command) is { } problem) throw DomainException.Invalid(problem);
        await SettleAsync();
        var (lease, refusal) = await PtzLeaseAsync(caller);
        var camera = await Camera.GetAsync();
        refusal ??= camera?.OnvifUrl is null ? PtzRefusals.NoDevice
            : !_lock.Touch(caller.SessionId!) ? _lock.Holder is null ? PtzRefusals.NotLockHolder : PtzRefusals.Locked
            : null;
        if (refusal is not null || lease is null)
        {
            await AuditAsync(AuditKinds.PtzCommand, "deny", refusal, caller, lease, Details(command));
            return PtzOutcome.Refused(refusal!, _lock.Holder is { } holder ? LockView(holder, _lock.Until, caller) : null);
        }
        try
        {
            await SendAsync(ClientFor(camera!.OnvifUrl!), command);
        }
        catch (OnvifException e) when (e.NoSuchToken && command.Kind == PtzCommandKind.Preset)
        {
            await AuditAsync(AuditKinds.PtzCommand, "deny", PtzRefusals.UnknownPreset, caller, lease, Details(command));
            return PtzOutcome.Refused(PtzRefusals.UnknownPreset);
        }
        catch (OnvifException e)
        {
            await AuditAsync(AuditKinds.PtzCommand, "error", "device-error", caller, lease, Details(command));
            throw DomainException.Unavailable($"Camera '{Id}' did not carry out the command: {e.Message}", e.Reason);
        }
        await AuditAsync(AuditKinds.PtzCommand, "allow", null, caller, lease, Details(command));
        return new PtzOutcome(View(caller, camera, mayControl: true));
    }

    private Task SendAsync(OnvifPtzClient client, PtzCommand command) => command.Kind switch
    {
        PtzCommandKind.Move => client.ContinuousMoveAsync(command.Pan, command.Tilt, command.Zoom, options.Value.MoveTimeout),
        PtzCommandKind.Stop => client.StopAsync(),
        PtzCommandKind.Preset => client.GotoPresetAsync(command.Preset!),
        _ => client.GotoHomeAsync(),
    };

    private static object Details(PtzCommand command) => new
    {
        command = command.Kind.ToString().ToLowerInvariant(),
        pan = command.Kind == PtzCommandKind.Move ? command.Pan : (double?)null,
        tilt = command.Kind == PtzCommandKind.Move ? command.Tilt : (double?)null,
        zoom = command.Kind == PtzCommandKind.Move ? command.Zoom : (double?)null,
        preset = command.Preset,
    };

    /// <summary>The caller's own leases on this camera that still hold: same session, agency and operator.</summary>
    private async Task<StreamLease[]> LeasesOfAsync(OperatorPrincipal caller) =>
        caller.SessionId is not { } session ? []
        : (await Camera.SessionLeasesAsync(session)).Where(l => l.AgencyId == caller.AgencyId && l.OperatorId == caller.OperatorId).ToArray();

    /// <summary>The caller's lease that carries the PTZ right (the highest priority), or why there is none.</summary>
    private async Task<(StreamLease? Lease, string? Refusal)> PtzLeaseAsync(OperatorPrincipal caller)
    {
        var leases = await LeasesOfAsync(caller);
        if (leases.Length == 0) return (null, PtzRefusals.NoLease);
        var lease = leases.Where(l => l.Ptz).OrderBy(l => l.Priority).FirstOrDefault();
        return lease is null ? (leases[0], PtzRefusals.NotGranted) : (lease, null);
    }

    /// <summary>Ends a lapsed lock, or one whose lease has ended or lost the right; the camera goes home either way.</summary>
    private async Task SettleAsync()
    {
        if (_lock.Expire() is { } lapsed)
        {
            await EndedAsync(lapsed, "expired");
            return;
        }
        if (_lock.Holder is { } holder && await Camera.GetLeaseAsync(holder.LeaseId) is not { Ptz: true })
        {
            _lock.EndLease(holder.LeaseId);
            await EndedAsync(holder, "lease-ended");
        }
    }

    private async Task EndedAsync(PtzLockHolder holder, string why)
    {
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.PtzLock, "end", why, Id, holder.AgencyId, holder.SessionId, holder.IncidentId,
            holder.Actor, JsonSerializer.Serialize(new { leaseId = holder.LeaseId }, Json), _districtCode));
        var outcome = "allow";
        try
        {
            if ((await Camera.GetAsync())?.OnvifUrl is { } url) await ClientFor(url).GotoHomeAsync();
        }
        catch (Exception e) when (e is OnvifException or DomainException)
        {
            outcome = "error";
            logger.LogWarning("Camera {Camera} could not be sent home after its PTZ lock ended ({Why}): {Reason}", Id, why, e.Message);
        }
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.PtzCommand, outcome, $"home-after-{why}", Id, holder.AgencyId, holder.SessionId,
            holder.IncidentId, "system", JsonSerializer.Serialize(new { command = "home", leaseId = holder.LeaseId }, Json), _districtCode));
    }

    private async Task TellPreemptedAsync(PtzLockHolder previous, StreamLease by)
    {
        var now = clock.GetUtcNow();
        await audit.AppendAsync(new AuditEntry(now, AuditKinds.Preemption, "ptz", "higher-priority-incident", Id, previous.AgencyId, previous.SessionId, by.IncidentId,
            $"{by.AgencyId}/{by.OperatorId}", JsonSerializer.Serialize(new { ptzLockOf = previous.LeaseId, previousPriority = previous.Priority, priority = by.Priority }, Json),
            _districtCode));
        await GrainFactory.GetGrain<IEventPublisherGrain>(0).PublishAsync([new DashboardEvent(DashboardEventNames.PtzPreempted, previous.IncidentId, _districtCode,
            [previous.AgencyId], JsonSerializer.Serialize(new { cameraId = Id, leaseId = previous.LeaseId, sessionId = previous.SessionId, by = by.AgencyId, reason = "higher-priority-incident" }, Json), now)]);
    }

    private Task AuditAsync(string kind, string outcome, string? reason, OperatorPrincipal caller, StreamLease? lease, object details) =>
        audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), kind, outcome, reason, Id, caller.AgencyId, caller.SessionId, lease?.IncidentId, caller.Actor,
            JsonSerializer.Serialize(new { leaseId = lease?.LeaseId, details }, Json), _districtCode, lease is null ? null : EnumNames<Contracts.Access.AccessPurpose>.NameOf(lease.Purpose)));

    /// <summary>The client for the camera's ONVIF URL, made again when the URL changed; a URL the policy refuses is never used.</summary>
    private OnvifPtzClient ClientFor(string url)
    {
        if (_client is not null && _clientUrl == url) return _client;
        if (StreamUrls.OnvifRefusal(url, urlPolicy.Value) is { } refusal)
            throw DomainException.Conflict($"Camera '{Id}' cannot be turned: {refusal.Reason} Its district must correct the camera's ONVIF URL.");
        var device = OnvifDeviceAddress.Parse(url);
        _http?.Dispose();
        _http = http.CreateClient(Id, device.Endpoint);
        _client = new OnvifPtzClient(_http, device, clock, options.Value.CommandTimeout);
        _clientUrl = url;
        _presets = null;
        return _client;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _http?.Dispose();
        return Task.CompletedTask;
    }

    private PtzView View(OperatorPrincipal caller, CameraInfo? camera, bool mayControl)
    {
        _districtCode = camera?.DistrictCode ?? _districtCode;
        return new PtzView(Id, camera?.OnvifUrl is not null, mayControl, _lock.Holder is { } holder ? LockView(holder, _lock.Until, caller) : null, _presets ?? []);
    }

    private static PtzLockView LockView(PtzLockHolder holder, DateTimeOffset until, OperatorPrincipal caller) =>
        new(holder.AgencyId, until, holder.SessionId == caller.SessionId, holder.Priority, holder.IncidentId);

    /// <summary>Once a second while a lock is held: a lapsed lock or one whose lease ended ends now, not at the next request.</summary>
    private void Watch()
    {
        _watch ??= this.RegisterGrainTimer(async () =>
        {
            await SettleAsync();
            if (_lock.Holder is not null) return;
            _watch?.Dispose();
            _watch = null;
        }, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { KeepAlive = true });
    }
}
