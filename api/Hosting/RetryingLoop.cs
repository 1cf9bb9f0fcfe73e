namespace SafetyNet.Api.Hosting;

/// <summary>Calls something every interval until stopped; after a failure, sooner (the cluster may not be up yet).</summary>
public static class RetryingLoop
{
    public static async Task RunAsync(Func<Task> call, TimeSpan interval, TimeSpan retryInterval, Action<Exception> failed, CancellationToken stoppingToken)
    {
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
