using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Misuse;

namespace SafetyNet.Grains.Misuse;

/// <summary>On every silo: keeps the cluster's one rule runner activated, so it resumes soon after the silo hosting it fails.</summary>
public sealed class MisuseWatchKeeper(IGrainFactory grains, ILogger<MisuseWatchKeeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var pause = Interval;
            try
            {
                await grains.GetGrain<IMisuseWatchGrain>(0).EnsureRunningAsync();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(ex, "The misuse rule runner could not be reached yet; retrying");
                pause = RetryInterval;
            }
            try
            {
                await Task.Delay(pause, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
