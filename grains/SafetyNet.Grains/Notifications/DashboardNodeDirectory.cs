using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Grains.Notifications;

/// <summary>
/// This silo's copy of the dashboard nodes (as GPSTracker's hub list): refreshed from <see cref="IDashboardNodesGrain"/> every
/// second and at once when cluster membership changes, and a node beside a silo declared dead leaves it immediately. Publishers
/// read it without a grain call; while the registry itself is moving, the last copy keeps serving. It asks while this silo
/// is active: before, no silo could place the registry; after, this one is leaving, and the calls only filled the log.
/// </summary>
public sealed class DashboardNodeDirectory(IGrainFactory grains, IClusterMembershipService membership, ILogger<DashboardNodeDirectory> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    private IReadOnlyList<DashboardNode> _current = [];
    private CancellationTokenSource? _active;
    private Task _following = Task.CompletedTask;

    public IReadOnlyList<DashboardNode> Current => Volatile.Read(ref _current);

    /// <summary>A node that did not take a batch: out of this copy now, out of the registry until it registers again.</summary>
    public void Drop(DashboardNode node)
    {
        Volatile.Write(ref _current, Current.Where(n => n.NodeId != node.NodeId).ToArray());
        grains.GetGrain<IDashboardNodesGrain>(0).DropAsync(node.NodeId).Ignore();
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DashboardNodeDirectory), ServiceLifecycleStage.Active, StartFollowing, StopFollowingAsync);

    private Task StartFollowing(CancellationToken cancellationToken)
    {
        _active = new CancellationTokenSource();
        _following = Task.WhenAll(RefreshPeriodicallyAsync(_active.Token), FollowMembershipAsync(_active.Token));
        return Task.CompletedTask;
    }

    private async Task StopFollowingAsync(CancellationToken cancellationToken)
    {
        if (_active is null) return;
        await _active.CancelAsync();
        try
        {
            await _following;
        }
        catch (OperationCanceledException)
        {
        }
        _active.Dispose();
    }

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
                if (!stoppingToken.IsCancellationRequested) await RefreshAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync()
    {
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
