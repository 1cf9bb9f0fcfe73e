using Microsoft.Extensions.Logging;

namespace SafetyNet.Grains.Observability;

/// <summary>
/// The log of a task that fails again and again while something it needs is away (a checkpoint or the misuse watch on
/// their timers, the ledger's batches). An outage of the database would otherwise write a stack trace every tick or
/// batch, thousands an hour, and bury what the on-call engineer needs:
/// when it began, whether it still goes on, and when it ended. So the first failure of a run of failures is logged in full,
/// then one line a <see cref="ReminderInterval"/> says it goes on (how many attempts since when, and the latest reason),
/// and the first success after it says how long it lasted.
/// </summary>
/// <param name="then">What follows a failure, for the first entry ("the next tick retries").</param>
public sealed class RecurringFailureLog(ILogger logger, string task, TimeProvider clock, string then = "the next tick retries")
{
    public static readonly TimeSpan ReminderInterval = TimeSpan.FromMinutes(1);

    /// <summary>The event of the first, full entry: one per run of failures already, so a log filter need not hold it back.</summary>
    public static readonly EventId FirstFailure = new(0, "RecurringFailure");

    private int _failures;
    private DateTimeOffset _since;
    private DateTimeOffset _remindedAt;

    /// <summary>A tick failed. <paramref name="context"/> (the task's own position, say) goes into the first, full entry.</summary>
    public void Failed(Exception exception, LogLevel level = LogLevel.Error, string context = "")
    {
        var now = clock.GetUtcNow();
        if (_failures++ == 0)
        {
            _since = _remindedAt = now;
            logger.Log(level, FirstFailure, exception, "{Task} failed{Context}; {Then}", task, context, then);
            return;
        }
        if (now - _remindedAt < ReminderInterval) return;
        _remindedAt = now;
        logger.Log(level, "{Task} still fails: {Failures} attempts since {Since:u}; the latest: {Reason}",
            task, _failures, _since, exception.GetBaseException().Message);
    }

    /// <summary>A tick succeeded: ends a run of failures, if there was one, with a line saying so.</summary>
    public void Succeeded()
    {
        if (_failures == 0) return;
        var lasted = TimeSpan.FromSeconds(Math.Round((clock.GetUtcNow() - _since).TotalSeconds));
        logger.LogInformation("{Task} works again after {Failures} failed attempts over {Duration:g}", task, _failures, lasted);
        _failures = 0;
    }
}
