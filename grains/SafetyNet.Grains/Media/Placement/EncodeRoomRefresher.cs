using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetyNet.Grains.Platform;

namespace SafetyNet.Grains.Media.Placement;

/// <summary>Keeps the <see cref="EncodeRoomBoard"/> current while this silo is active.</summary>
public sealed class EncodeRoomRefresher(EncodeRoomBoard board, LocalSiloStatus localSilo, TimeProvider clock, ILogger<EncodeRoomRefresher> logger) : BackgroundService
{
    /// <summary>As often as the node's CPU share is measured over (a few seconds): an encode's cost shows within that.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await localSilo.WaitUntilActiveAsync(stoppingToken)) return;
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            if (localSilo.HasBegunLeaving) return;
            try
            {
                await board.RefreshAsync();
            }
            catch (Exception e)
            {
                if (stoppingToken.IsCancellationRequested) return;
                logger.LogWarning(e, "Could not learn the other silos' room for one more encode; camera placement goes on from what it knew");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
