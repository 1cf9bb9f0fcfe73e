using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Reviews;

namespace SafetyNet.Grains.Reviews;

/// <summary>
/// One per cluster (key 0), driven by a persistent reminder: each tick makes sure last month's report exists for every
/// district. The reports' table keeps the first report of a month, so a tick that repeats, or races an on-demand
/// request, produces nothing twice.
/// </summary>
public sealed class ReviewScheduleGrain(IOptions<ReviewOptions> options, TimeProvider clock, ILogger<ReviewScheduleGrain> logger)
    : Grain, IReviewScheduleGrain, IRemindable
{
    private const string Reminder = "monthly-review";

    public async Task StartAsync() => await this.RegisterOrUpdateReminder(Reminder, options.Value.CheckPeriod, options.Value.CheckPeriod);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != Reminder) return;
        var month = ReviewMonths.Previous(clock.GetUtcNow());
        try
        {
            await GrainFactory.GetGrain<IReviewGrain>(0).ProduceMissingAsync(month);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Producing the monthly review reports for {Month} failed; the next reminder tick retries", month);
        }
    }
}

/// <summary>
/// Starts the review schedule on every silo start. The reminder is the cluster's one, whichever silo starts it, so a
/// joining silo whose call fails (the reminder ring is moving while it joins) logs it and retries in the background
/// instead of refusing to start.
/// </summary>
public sealed class ReviewScheduleStarter(IGrainFactory grains, ILogger<ReviewScheduleStarter> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);
    private const int Attempts = 30;
    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ReviewScheduleStarter), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private async Task OnStartAsync(CancellationToken cancellationToken)
    {
        if (await TryStartAsync(1)) return;
        _ = RetryAsync(_stopping.Token);
    }

    private Task OnStopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    private async Task RetryAsync(CancellationToken stopping)
    {
        for (var attempt = 2; attempt <= Attempts && !stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(RetryDelay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (await TryStartAsync(attempt)) return;
        }
    }

    private async Task<bool> TryStartAsync(int attempt)
    {
        try
        {
            await grains.GetGrain<IReviewScheduleGrain>(0).StartAsync();
            return true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Starting the monthly review schedule failed (attempt {Attempt} of {Attempts}); retrying in {Delay}", attempt, Attempts, RetryDelay);
            return false;
        }
    }
}
