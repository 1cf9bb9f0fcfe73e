using Microsoft.Extensions.Hosting;

namespace SafetyNet.Api.Hosting;

/// <summary>
/// Calls something every interval from the host's start until it begins to stop; after a failure, sooner (the cluster may
/// not be up yet). Calls made before the silo was active, or while it left, only filled the log with placement retries.
/// </summary>
public static class RetryingLoop
{
    public static async Task RunAsync(IHostApplicationLifetime lifetime, Func<Task> call, TimeSpan interval, TimeSpan retryInterval,
        Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        stoppingToken = running.Token;
        using (var startedOrStopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStarted, stoppingToken))
        {
            try
            {
                await Task.Delay(Timeout.Infinite, startedOrStopping.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var pause = interval;
            try
            {
                await call();
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failed(ex);
                pause = retryInterval;
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
