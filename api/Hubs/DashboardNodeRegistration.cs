using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetyNet.Api.Hosting;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Contracts.Platform;

namespace SafetyNet.Api.Hubs;

/// <summary>
/// Keeps this node registered as a dashboard host, so that events reach its SignalR connections, and asks the sequencers of
/// its dashboards' streams for a heartbeat: a dashboard whose last events were lost (their sequencer's silo died) learns it
/// from the next activation's new epoch even if no further event comes.
/// </summary>
public sealed class DashboardNodeRegistration(IGrainFactory grains, DashboardEventForwarder forwarder, SubscribedStreams streams,
    IServiceProvider services, ILocalSiloStatus localSilo, ILogger<DashboardNodeRegistration> logger) : BackgroundService
{
    // Short: the registry is in memory, so after its silo fails (or after this node was dropped for a slow answer) events
    // reach this node's dashboards again only once it has re-registered. A registration is one cheap in-memory call.
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(250);
    private readonly string _nodeId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var node = new DashboardNode(_nodeId, grains.CreateObjectReference<INodeEventsObserver>(forwarder), services.GetService<ILocalSiloDetails>()?.SiloAddress);
        return RetryingLoop.RunAsync(localSilo, async () =>
            {
                await grains.GetGrain<IDashboardNodesGrain>(0).RegisterAsync(node);
                await Task.WhenAll(streams.All.Select(s => grains.GetGrain<IEventSequencerGrain>(s).PingAsync()));
            }, Interval, RetryInterval,
            ex => logger.LogDebug(ex, "Could not register this node for dashboard events yet; retrying"), stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (localSilo.IsActive) await grains.GetGrain<IDashboardNodesGrain>(0).UnregisterAsync(_nodeId).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Unregistering from dashboard events failed during shutdown");
        }
        await base.StopAsync(cancellationToken);
    }
}
