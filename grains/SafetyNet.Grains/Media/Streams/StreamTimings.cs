namespace SafetyNet.Grains.Media.Streams;

/// <summary>The stream's timing rules, from <see cref="MediaOptions"/>.</summary>
public sealed record StreamTimings(TimeSpan Linger, TimeSpan BackoffInitial, TimeSpan BackoffMax, int FailuresBeforeOffline)
{
    public static StreamTimings From(MediaOptions options) =>
        new(options.LingerPeriod, options.RestartBackoffInitial, options.RestartBackoffMax, options.FailuresBeforeOffline);

    /// <summary>Doubles from the initial delay with each consecutive failure, up to the maximum.</summary>
    public TimeSpan Backoff(int consecutiveFailures)
    {
        var doublings = Math.Min(consecutiveFailures - 1, 30);
        var delay = BackoffInitial * Math.Pow(2, doublings);
        return delay < BackoffMax ? delay : BackoffMax;
    }
}
