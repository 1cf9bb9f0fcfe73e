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

/// <summary>Starts the review schedule on every silo start; the reminder is the cluster's one, whichever silo starts it.</summary>
public sealed class ReviewScheduleStarter(IGrainFactory grains, ILogger<ReviewScheduleStarter> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ReviewScheduleStarter), ServiceLifecycleStage.Active, StartAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IReviewScheduleGrain>(0).StartAsync();
        }
        catch (Exception e)
        {
            // A silo joining while the reminder ring moves can be refused; the nodes already running started the schedule, so
            // this one still serves, and says so (as the ledger archiver's schedule does).
            logger.LogError(e, "Starting the monthly review schedule failed; reports wait until a node starts it");
        }
    }
}
