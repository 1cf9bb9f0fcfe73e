using System.Text.Json;
using Microsoft.Extensions.Logging;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Media;

namespace SafetyNet.Grains.Cameras;

/// <summary>
/// Why the camera has its status, and getting an offline camera back. A camera its relay reported offline is tried again by
/// itself, with no viewer: one snapshot after Media:OfflineRecheck, then less often, up to Media:OfflineRecheckMax, until it
/// gives a picture and is online again. Without it a camera that rebooted while watched would stay offline for good: viewers
/// are refused an offline camera, so no relay runs to see it back, and incident walls pass it over. A status an admin or an
/// import set is theirs to change; its district may still have any offline camera checked at once.
/// </summary>
public sealed partial class CameraGrain
{
    private const string OfflineRecheckReason = "offline-recheck";
    private const string AdminCheckReason = "admin-check";

    private IGrainTimer? _offlineRecheck;
    /// <summary>The wait before the next recheck: <see cref="MediaOptions.OfflineRecheck"/>, doubled after each that failed.</summary>
    private TimeSpan _offlineRecheckDelay;
    /// <summary>When the recheck is due (or, while it runs, was); null while none is armed.</summary>
    private DateTimeOffset? _offlineRecheckAt;

    private bool OfflineByRelay => state.State is { Status: CameraStatus.Offline, StatusSetBy: CameraStatusSetters.Relay };

    public async ValueTask<CameraStatusReport?> GetStatusReportAsync() => await LoadAsync() is { } camera ? StatusReport(camera) : null;

    /// <summary>A status set here (by the relay, an admin, an import, a guard) says who and since when; else the camera has the one it was registered with.</summary>
    private CameraStatusReport StatusReport(CameraInfo camera) => state.State is { Status: not null } own
        ? new CameraStatusReport(Id, camera.Status, own.StatusChangedAt, CameraStatusSetters.Of(own.StatusSetBy),
            camera.Status == CameraStatus.Offline ? own.StatusCause : null, OfflineByRelay ? _offlineRecheckAt : null)
        : new CameraStatusReport(Id, camera.Status);

    public async Task<CameraCheck> CheckNowAsync(string actor)
    {
        var camera = await RequireAsync();
        if (camera.Status != CameraStatus.Offline)
            throw DomainException.Conflict($"Camera '{Id}' is {EnumNames<CameraStatus>.NameOf(camera.Status)}, not offline: only an offline camera is checked for a picture.");
        var cause = await PictureOrCauseAsync(camera, inBackground: false);
        // The status may have changed while the camera was asked: only a camera still offline is brought back, or given the cause.
        // Either way the ledger has the check: as the change it made (online, for this reason), or as what it found.
        if (cause is null && _camera?.Status == CameraStatus.Offline)
        {
            logger.LogInformation("Camera {CameraId} gave a picture when {Actor} had it checked; it is online", Id, actor);
            await UpdateAsync(new CameraPatch(Status: CameraStatus.Online), actor, AdminCheckReason);
        }
        else
        {
            await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.CameraChange, Reason: AdminCheckReason, CameraId: Id, Actor: actor,
                Details: JsonSerializer.Serialize(new { gavePicture = cause is null, cause }, Json)));
            if (cause is not null) await NoteCauseAsync(cause);
        }
        return new CameraCheck(cause is null, cause, StatusReport(await RequireAsync()));
    }

    public Task CheckAgainAsync()
    {
        if (!OfflineByRelay) return Task.CompletedTask;
        _offlineRecheckDelay = mediaOptions.Value.OfflineRecheck;
        ArmOfflineRecheck(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    /// <summary>
    /// One snapshot of the camera: null when it gave a picture, else why it gave none (<see cref="CameraStatusCauses"/>). In
    /// the background (a recheck) it waits its turn among the node's rechecks, and a camera that takes no connection costs no ffmpeg.
    /// </summary>
    private async Task<string?> PictureOrCauseAsync(CameraInfo camera, bool inBackground)
    {
        try
        {
            if (inBackground) await relays.RecheckSnapshotAsync(Id, camera.StreamUrl, CancellationToken.None);
            else await relays.SnapshotAsync(Id, camera.StreamUrl, CancellationToken.None);
            return null;
        }
        catch (MediaUnavailableException e)
        {
            logger.LogInformation("Camera {CameraId} gave no picture: {Reason}", Id, e.Message);
            return e.Cause;
        }
    }

    /// <summary>An offline camera keeps the latest cause found: the certificate it presents now, say, rather than the address that did not answer before.</summary>
    private async Task NoteCauseAsync(string cause)
    {
        if (state.State.Status != CameraStatus.Offline || state.State.StatusCause == cause) return;
        state.State.StatusCause = cause;
        await state.WriteStateAsync();
    }

    /// <summary>Arms the recheck (after <paramref name="due"/>, else from the start of its backoff) while the relay holds the camera offline; disarms it otherwise.</summary>
    private void ArmOfflineRecheck(TimeSpan? due = null)
    {
        _offlineRecheck?.Dispose();
        _offlineRecheck = null;
        _offlineRecheckAt = null;
        if (due is null || !OfflineByRelay) _offlineRecheckDelay = mediaOptions.Value.OfflineRecheck;
        if (!OfflineByRelay) return;
        var wait = due ?? Spread(_offlineRecheckDelay);
        _offlineRecheckAt = clock.GetUtcNow() + wait;
        // Interleaved: the snapshot may take the camera's input timeout twice over, and access checks should not queue behind it.
        _offlineRecheck = this.RegisterGrainTimer(RecheckOfflineAsync,
            new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { KeepAlive = true, Interleave = true });
    }

    /// <summary>Until it is armed again, the report keeps the time this recheck was due: a camera being tried now was due then.</summary>
    private async Task RecheckOfflineAsync()
    {
        if (!OfflineByRelay || await LoadAsync() is not { } camera) return;
        try
        {
            var cause = await PictureOrCauseAsync(camera, inBackground: true);
            // An admin or an import may have set the status meanwhile: theirs stands.
            if (!OfflineByRelay) return;
            if (cause is null)
            {
                logger.LogInformation("Camera {CameraId} gave a picture again; it is online", Id);
                await UpdateAsync(new CameraPatch(Status: CameraStatus.Online), CameraStatusSetters.Relay, OfflineRecheckReason);
                return;
            }
            await NoteCauseAsync(cause);
        }
        catch (OperationCanceledException)
        {
            // The node is stopping: the camera is tried again wherever it is next activated.
            return;
        }
        catch (Exception e)
        {
            // The status could not be saved (the database away): the camera is tried again later all the same.
            if (!OfflineByRelay) return;
            logger.LogWarning(e, "Camera {CameraId}'s recheck failed", Id);
        }
        _offlineRecheckDelay = TimeSpan.FromTicks(Math.Min(_offlineRecheckDelay.Ticks * 2, mediaOptions.Value.OfflineRecheckMax.Ticks));
        var wait = Spread(_offlineRecheckDelay);
        logger.LogInformation("Camera {CameraId} is still offline ({Cause}); trying again in {Delay}", Id, state.State.StatusCause, wait);
        ArmOfflineRecheck(wait);
    }

    /// <summary>A wait spread over ±25 %: cameras that went dark together (a district's power cut) are not all tried again in the same second.</summary>
    private static TimeSpan Spread(TimeSpan wait) => wait * (0.75 + Random.Shared.NextDouble() / 2);
}
