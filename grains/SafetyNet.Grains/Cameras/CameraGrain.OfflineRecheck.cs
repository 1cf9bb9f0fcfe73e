using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Media;

namespace SafetyNet.Grains.Cameras;

/// <summary>
/// A camera its relay reported offline is tried again by itself, with no viewer: one snapshot after Media:OfflineRecheck,
/// then less often, up to Media:OfflineRecheckMax, until it gives a picture and is online again. Without it a camera that
/// rebooted while watched would stay offline for good: viewers are refused an offline camera, so no relay runs to see it
/// back, and incident walls pass it over. A status an admin or an import set is theirs to change.
/// </summary>
public sealed partial class CameraGrain
{
    /// <summary>Who sets the status its relay sees (<see cref="RelayStatusToCamera"/>), and the recheck here.</summary>
    public const string RelayActor = "relay";
    private const string ImportActor = "import";
    private const string OfflineRecheckReason = "offline-recheck";

    private IGrainTimer? _offlineRecheck;
    /// <summary>The wait before the next recheck: <see cref="MediaOptions.OfflineRecheck"/>, doubled after each that failed.</summary>
    private TimeSpan _offlineRecheckDelay;

    private bool OfflineByRelay => state.State is { Status: CameraStatus.Offline, StatusSetBy: RelayActor };

    public Task CheckAgainAsync()
    {
        if (!OfflineByRelay) return Task.CompletedTask;
        _offlineRecheckDelay = mediaOptions.Value.OfflineRecheck;
        ArmOfflineRecheck(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    /// <summary>Arms the recheck (after <paramref name="due"/>, else from the start of its backoff) while the relay holds the camera offline; disarms it otherwise.</summary>
    private void ArmOfflineRecheck(TimeSpan? due = null)
    {
        _offlineRecheck?.Dispose();
        _offlineRecheck = null;
        if (due is null || !OfflineByRelay) _offlineRecheckDelay = mediaOptions.Value.OfflineRecheck;
        if (!OfflineByRelay) return;
        // Interleaved: the snapshot may take the camera's input timeout twice over, and access checks should not queue behind it.
        _offlineRecheck = this.RegisterGrainTimer(RecheckOfflineAsync,
            new GrainTimerCreationOptions(due ?? _offlineRecheckDelay, Timeout.InfiniteTimeSpan) { KeepAlive = true, Interleave = true });
    }

    private async Task RecheckOfflineAsync()
    {
        if (!OfflineByRelay || await LoadAsync() is not { } camera) return;
        try
        {
            await relays.SnapshotAsync(Id, camera.StreamUrl, CancellationToken.None);
            // An admin or an import may have set the status meanwhile: theirs stands.
            if (!OfflineByRelay) return;
            logger.LogInformation("Camera {CameraId} gave a picture again; it is online", Id);
            await UpdateAsync(new CameraPatch(Status: CameraStatus.Online), RelayActor, OfflineRecheckReason);
        }
        catch (Exception e)
        {
            // No picture, or the status could not be saved (the database away): either way the camera is tried again later.
            if (!OfflineByRelay) return;
            _offlineRecheckDelay = TimeSpan.FromTicks(Math.Min(_offlineRecheckDelay.Ticks * 2, mediaOptions.Value.OfflineRecheckMax.Ticks));
            logger.LogInformation("Camera {CameraId} is still offline ({Reason}); trying again in {Delay}", Id, e.Message, _offlineRecheckDelay);
            ArmOfflineRecheck(_offlineRecheckDelay);
        }
    }
}
