using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Grains.Platform;

namespace SafetyNet.Grains.Notifications;

/// <summary>
/// This silo's copy of the dashboard nodes (as GPSTracker's hub list): refreshed from <see cref="IDashboardNodesGrain"/> every
/// second and at once when cluster membership changes, and a node beside a silo declared dead leaves it immediately. Publishers
/// read it without a grain call; while the registry itself is moving, the last copy keeps serving. It asks only while this
/// silo is active: before, no silo can place the registry; once this one has begun to leave, the call is refused.
/// </summary>
public sealed class DashboardNodeDirectory(IGrainFactory grains, IClusterMembershipService membership, LocalSiloStatus localSilo,
    ILogger<DashboardNodeDirectory> logger) : BackgroundService
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    private IReadOnlyList<DashboardNode> _current = [];

    public IReadOnlyList<DashboardNode> Current => Volatile.Read(ref _current);

    /// <summary>
    /// A node that did not take a batch: out of this copy now, out of the registry until it registers again (told only while
    /// this silo is active; a leaving silo's call would be refused).
    /// </summary>
    public void Drop(DashboardNode node)
    {
        Volatile.Write(ref _current, Current.Where(n => n.NodeId != node.NodeId).ToArray());
        if (localSilo.IsActive) grains.GetGrain<IDashboardNodesGrain>(0).DropAsync(node.NodeId).Ignore();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(RefreshPeriodicallyAsync(stoppingToken), FollowMembershipAsync(stoppingToken));

    private async Task RefreshPeriodicallyAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        do await RefreshAsync();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task FollowMembershipAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                Volatile.Write(ref _current, Live(Current));
                await RefreshAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync()
    {
        if (!localSilo.IsActive) return;
        try
        {
            Volatile.Write(ref _current, Live(await grains.GetGrain<IDashboardNodesGrain>(0).GetNodesAsync()));
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Could not refresh the dashboard nodes; keeping the last list");
        }
    }

    private DashboardNode[] Live(IEnumerable<DashboardNode> nodes)
    {
        var snapshot = membership.CurrentSnapshot;
        return nodes.Where(n => n.Silo is null || snapshot.GetSiloStatus(n.Silo) != SiloStatus.Dead).ToArray();
    }
}
