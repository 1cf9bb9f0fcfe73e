using SafetyNet.Contracts.Platform;

namespace SafetyNet.Api.Hosting;

/// <summary>
/// Calls something every interval while this silo is active; after a failure, sooner (the registry's silo may have just
/// failed). It starts the moment the silo becomes active and stops once the silo begins to leave: calls before or after
/// could not be delivered, and Orleans logs each one.
/// </summary>
public static class RetryingLoop
{
    public static async Task RunAsync(ILocalSiloStatus silo, Func<Task> call, TimeSpan interval, TimeSpan retryInterval, Action<Exception> failed,
        CancellationToken stoppingToken)
    {
        if (!await silo.WaitUntilActiveAsync(stoppingToken)) return;
        while (!stoppingToken.IsCancellationRequested && !silo.HasBegunLeaving)
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
