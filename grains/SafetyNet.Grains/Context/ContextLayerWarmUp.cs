using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Context;

namespace SafetyNet.Grains.Context;

/// <summary>
/// Activates the context layers in the background as the silo becomes active, so that the first 119 or disaster incident
/// after a start does not wait while the hydrant layer reads its tiles back (about 1.7 s for Seoul's 60,676 hydrants).
/// The start does not wait for it; a layer that is still loading answers its first query when it is done.
/// </summary>
public sealed class ContextLayerWarmUp(IGrainFactory grains, ILogger<ContextLayerWarmUp> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private Task _warming = Task.CompletedTask;

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
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Activating the context layers at start failed; each is read by its first query instead");
        }
    }
}
