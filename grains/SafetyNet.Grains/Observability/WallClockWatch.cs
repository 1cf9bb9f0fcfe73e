using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Grains.Observability;

/// <summary>
/// Notices when the machine's wall clock steps (set by hand, or by time synchronisation after a virtual machine was paused
/// or moved) by comparing it every second with the monotonic clock, which never steps. Sessions, leases and grants end at
/// wall-clock instants, so after a step of a few seconds rights end early or late by the step. A running relay's ffmpeg
/// stamps its recording from its own start plus the segments' lengths; the relays follow the step (<see cref="IClockStepFollower"/>),
/// so their recordings go on being labelled by the node's clock. The step is logged for the on-call engineer, counted on
/// /metrics, and written to the audit ledger so an auditor reading times across it knows where the node's clock jumped and
/// by how much.
/// </summary>
public sealed class WallClockWatch(IAuditLedger ledger, SafetyNetMetrics metrics, TimeProvider clock, ILogger<WallClockWatch> logger,
    IEnumerable<IClockStepFollower> followers)
    : BackgroundService
{
    /// <summary>Time synchronisation slews a clock by at most half a millisecond a second; anything near a second is a step.</summary>
    public static readonly TimeSpan SmallestStep = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Two monotonic readings further apart than this straddle a hold-up: the wall reading between them is taken again.</summary>
    private static readonly TimeSpan MaxReadingSpread = TimeSpan.FromMilliseconds(100);
    private const int ReadingAttempts = 5;

    /// <summary>How far the wall clock moved beyond the time that passed between two readings; zero below <see cref="SmallestStep"/>.</summary>
    public static TimeSpan StepBetween(DateTimeOffset wallBefore, DateTimeOffset wallAfter, TimeSpan passed)
    {
        var step = wallAfter - wallBefore - passed;
        return step.Duration() < SmallestStep ? TimeSpan.Zero : step;
    }

    public static string DirectionOf(TimeSpan step) => step > TimeSpan.Zero ? "forward" : "back";

    private PeriodicTimer? _timer;
    private (DateTimeOffset Wall, long Ticks) _lastReading;

    /// <summary>Takes the first reading and arms the timer before the host goes on: ExecuteAsync runs in the background.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _lastReading = Read();
        _timer = new PeriodicTimer(Interval, clock);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer!.WaitForNextTickAsync(stoppingToken))
            {
                var (wall, ticks) = Read();
                var step = StepBetween(_lastReading.Wall, wall, clock.GetElapsedTime(_lastReading.Ticks, ticks));
                if (step != TimeSpan.Zero)
                {
                    Tell(new ClockStep(step, _lastReading.Wall, _lastReading.Ticks));
                    await RecordAsync(step, _lastReading.Wall, wall);
                }
                _lastReading = (wall, ticks);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The wall clock, and the monotonic clock beside it. The thread can be held up between the two readings (a starved
    /// machine, or a test's clock moved meanwhile), and a second between them would read as a step: the wall clock is read
    /// between two monotonic readings, and read again while those are too far apart.
    /// </summary>
    private (DateTimeOffset Wall, long Ticks) Read()
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = clock.GetTimestamp();
            var wall = clock.GetUtcNow();
            var after = clock.GetTimestamp();
            if (clock.GetElapsedTime(before, after) < MaxReadingSpread || attempt == ReadingAttempts) return (wall, after);
        }
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    private void Tell(ClockStep step)
    {
        foreach (var follower in followers)
        {
            try
            {
                follower.Follow(step);
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Follower} could not follow the wall clock's step", follower.GetType().Name);
            }
        }
    }

    private async Task RecordAsync(TimeSpan step, DateTimeOffset before, DateTimeOffset now)
    {
        var seconds = step.TotalSeconds.ToString("+0.000;-0.000", CultureInfo.InvariantCulture);
        logger.LogWarning("The node's wall clock stepped {Seconds} s (it read {Before:O} at the last look and reads {Now:O} now). Sessions, leases " +
                          "and grants end at wall-clock times, so they end that much earlier or later", seconds, before, now);
        metrics.WallClockStepped(step);
        try
        {
            // The step as the reason too, which the audit view and its CSV show (without a sign, which the CSV would quote).
            var reason = $"{DirectionOf(step)} {seconds[1..]} s";
            await ledger.AppendAsync(new AuditEntry(now, AuditKinds.ClockStep, Reason: reason, Actor: "node-clock",
                Details: $$"""{"stepSeconds":{{seconds.TrimStart('+')}},"readBefore":"{{before:O}}"}"""));
        }
        catch (Exception e)
        {
            logger.LogError(e, "The wall clock's step of {Seconds} s could not be written to the audit ledger", seconds);
        }
    }
}
