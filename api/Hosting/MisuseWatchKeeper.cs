using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Misuse;
using SafetyNet.Contracts.Platform;

namespace SafetyNet.Api.Hosting;

/// <summary>On every node: keeps the cluster's one misuse rule runner activated, so it resumes soon after the silo hosting it fails.</summary>
public sealed class MisuseWatchKeeper(IGrainFactory grains, ILocalSiloStatus localSilo, ILogger<MisuseWatchKeeper> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RetryingLoop.RunAsync(localSilo,
        () => grains.GetGrain<IMisuseWatchGrain>(0).EnsureRunningAsync(), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(250),
        ex => logger.LogDebug(ex, "The misuse rule runner could not be reached yet; retrying"), stoppingToken);
}
