using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SafetyNet.Grains.Media;

/// <summary>Once per live window, sweeps the relay working files that outlived it (<see cref="RelayHost.SweepStaleFiles"/>).</summary>
public sealed class MediaFileSweeper(RelayHost relays, TimeProvider clock, ILogger<MediaFileSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(relays.LiveWindow, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (relays.SweepStaleFiles(clock.GetUtcNow().UtcDateTime) is > 0 and var swept)
                        logger.LogInformation("Swept {Count} relay working file(s) older than the live window", swept);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning(e, "Sweeping the relay working directory failed; the next tick retries");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
