namespace SafetyNet.Silo.Hosting;

/// <summary>
/// The first step of a graceful stop. The host raises ApplicationStopping first, which turns <see cref="ReadinessCheck"/>
/// unhealthy, and then calls this before any service stops: for <see cref="Delay"/> the node keeps answering requests a load
/// balancer still routes to it, until its readiness probes have taken it out. Only then do Kestrel and the silo stop.
/// Registered after every other hosted service, so that it is the first one the host stops.
/// </summary>
public sealed class ShutdownDrain(TimeSpan delay, TimeProvider clock, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    public TimeSpan Delay => delay;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero) return;
        logger.LogInformation("Stopping: reporting not ready and answering for {Delay:g} more, so that the load balancer takes this node " +
                              "out before its HTTP port closes (Shutdown:DrainDelay)", delay);
        await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        logger.LogInformation("Drained; closing the HTTP port and leaving the cluster");
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class ShutdownDrainRegistration
{
    /// <summary>Last of the hosted services, so stopped first; the host's stop budget grows by the drain, which would otherwise eat the silo's.</summary>
    public static IServiceCollection AddShutdownDrain(this IServiceCollection services, TimeSpan delay)
    {
        services.AddSingleton(provider => new ShutdownDrain(delay, provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ShutdownDrain>>()));
        services.AddHostedService(provider => provider.GetRequiredService<ShutdownDrain>());
        services.Configure<HostOptions>(host => host.ShutdownTimeout += delay);
        return services;
    }
}
