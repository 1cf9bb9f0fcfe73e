using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Districts;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Grains.Spatial;

/// <summary>Keeps this silo's <see cref="CameraIndex"/> current by asking each district for its catalog when it changed.</summary>
public sealed class CameraIndexRefresher(
    CameraIndex index,
    IGrainFactory grains,
    IOptions<IndexOptions> options,
    Region region,
    ILogger<CameraIndexRefresher> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CameraIndexRefresher), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// Refreshes at once (used after a local import so the caller sees its own writes): first the catalogs whose version
    /// changed, then each district's status changes since the sequence number the index holds.
    /// </summary>
    public async Task RefreshNowAsync(CancellationToken cancellationToken = default)
    {
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            var changed = await Task.WhenAll(region.Districts.Select(d =>
                grains.GetGrain<IDistrictGrain>(d.Code).GetCatalogIfChangedAsync(index.VersionOf(d.Code)).AsTask()));
            index.Apply(changed.OfType<CatalogSnapshot>().ToArray());
            var deltas = await Task.WhenAll(region.Districts.Where(d => index.StatusSeqOf(d.Code) >= 0).Select(d =>
                grains.GetGrain<IDistrictGrain>(d.Code).GetStatusChangesAsync(index.StatusSeqOf(d.Code)).AsTask()));
            index.ApplyStatuses(deltas.OfType<StatusDelta>().ToArray());
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private async Task LoopAsync()
    {
        var firstLoad = true;
        using var timer = new PeriodicTimer(options.Value.RefreshInterval);
        while (true)
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                await RefreshNowAsync(_stopping.Token);
                if (firstLoad)
                {
                    firstLoad = false;
                    logger.LogInformation("Camera index loaded: {Cameras} cameras from {Districts} districts in {Elapsed} ms",
                        index.Current.Count, index.DistrictsLoaded, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Camera index refresh failed; retrying on the next tick");
            }

            try
            {
                if (!await timer.WaitForNextTickAsync(_stopping.Token)) return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
