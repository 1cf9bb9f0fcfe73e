using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Context;

namespace SafetyNet.Grains.Context;

/// <summary>
/// Activates the context layers in the background as the silo becomes active, so that the first 119 or disaster incident
/// after a start does not wait while the hydrant layer reads its tiles back (0.2 s for Seoul's 60,676 hydrants, about 2 s
/// for a national layer of 300,000). The silo's start does not wait for it, but the node's readiness does
/// (<see cref="Readiness"/>): a load balancer sends no incident to a node whose hydrants are not in memory yet.
/// </summary>
public sealed class ContextLayerWarmUp(IGrainFactory grains, ILogger<ContextLayerWarmUp> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private Task _warming = Task.CompletedTask;

    private volatile ContextLayersReadiness _readiness = ContextLayersReadiness.Loading;

    public ContextLayersReadiness Readiness => _readiness;

    // A stop waits for the calls still in flight: the silo leaving under them would fail them, and log it as an error.
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ContextLayerWarmUp), ServiceLifecycleStage.Active,
            _ =>
            {
                _warming = WarmAsync();
                return Task.CompletedTask;
            },
            async cancellationToken =>
            {
                try { await _warming.WaitAsync(cancellationToken); }
                catch (OperationCanceledException) { }
            });

    private async Task WarmAsync()
    {
        try
        {
            await Task.WhenAll(ContextLayers.Known.Select(layer => grains.GetGrain<IContextLayerGrain>(layer).CountAsync().AsTask()));
            _readiness = ContextLayersReadiness.Loaded;
        }
        catch (Exception e)
        {
            _readiness = ContextLayersReadiness.Failed;
            logger.LogWarning(e, "Activating the context layers at start failed; each is read by its first query instead");
        }
    }
}
