using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Observability;
using SafetyNet.Tests.Grains;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Persistence;

namespace SafetyNet.Tests.Hosting;

/// <summary>
/// A step of the node's wall clock (seen on a CI runner: 11 s forward, with sessions ending early and a rewind landing 11 s
/// off) is noticed within a second, logged, counted and written to the ledger; the clock's own slewing and a late timer are not.
/// </summary>
public sealed class WallClockWatchTests
{
    [Theory]
    [InlineData(1_000, 1_000, 0)]
    [InlineData(1_900, 1_000, 0)] // a timer a second late on a busy machine: both clocks moved
    [InlineData(1_000, 1_500, 0)] // synchronisation slewing, or a reading delayed between the two clocks
    [InlineData(12_000, 1_000, 11_000)]
    [InlineData(-9_000, 1_000, -10_000)]
    public void Only_a_wall_clock_move_a_second_or_more_beyond_the_time_passed_is_a_step(int wallMovedMs, int passedMs, int stepMs)
    {
        var before = new DateTimeOffset(2026, 12, 6, 8, 34, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromMilliseconds(stepMs),
            WallClockWatch.StepBetween(before, before.AddMilliseconds(wallMovedMs), TimeSpan.FromMilliseconds(passedMs)));
    }

    [Fact]
    public Task A_step_is_logged_counted_written_to_the_ledger_and_told_to_its_followers_once_and_steady_time_is_not() =>
        StoreDatabases.OnSqliteAsync("clock-step", async database =>
        {
            var clock = new SteppingClock(new DateTimeOffset(2026, 12, 6, 8, 34, 0, TimeSpan.Zero));
            await using var writer = new AuditWriter(database, LedgerShard.New(), NullLogger<AuditWriter>.Instance, clock);
            using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            var metrics = new SafetyNetMetrics(services.GetRequiredService<IMeterFactory>());
            using var steps = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), SafetyNetMetrics.MeterName, "safetynet.clock.steps");
            var logger = new FakeLogger<WallClockWatch>();
            var follower = new RecordingFollower();
            await AuditLedgerFailureTests.RunAsync(writer, clock, async ledger =>
            {
                // A follower that fails is logged and passed over: the others, and the ledger, still hear of the step.
                using var watch = new WallClockWatch(ledger, metrics, clock, logger, [new FailingFollower(), follower]);
                await watch.StartAsync(CancellationToken.None);
                for (var i = 0; i < 5; i++) clock.Advance(WallClockWatch.Interval);
                clock.Step(TimeSpan.FromSeconds(11));
                clock.Advance(WallClockWatch.Interval);
                await Eventually.WaitAsync(() => Task.FromResult(writer.Written?.Head.Seq ?? 0), seq => seq >= 1, TimeSpan.FromSeconds(10), "the step in the ledger");
                for (var i = 0; i < 5; i++) clock.Advance(WallClockWatch.Interval);
                await watch.StopAsync(CancellationToken.None);
            });

            var entry = Assert.Single((await new AuditStore(database).QueryAsync(new AuditQuery(null, null, null, null, null, null, 1, 10))).Items).Entry;
            Assert.Equal(AuditKinds.ClockStep, entry.Kind);
            Assert.Equal("node-clock", entry.Actor);
            Assert.Equal("forward 11.000 s", entry.Reason);
            using var details = JsonDocument.Parse(entry.Details!);
            Assert.Equal(11.0, details.RootElement.GetProperty("stepSeconds").GetDouble());
            // The watch may wake once for several of the fake clock's seconds; its last reading before the step is one of them.
            Assert.InRange(details.RootElement.GetProperty("readBefore").GetDateTimeOffset(),
                new DateTimeOffset(2026, 12, 6, 8, 34, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 8, 34, 5, TimeSpan.Zero));
            // Its first reading after the step: at 16 s when a wake of the first five seconds ran (on the thread pool) after the
            // step, at 17 s when the last second's wake was the first to read.
            Assert.InRange(entry.OccurredAt, new DateTimeOffset(2026, 12, 6, 8, 34, 16, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 8, 34, 17, TimeSpan.Zero));
            var counted = Assert.Single(steps.GetMeasurementSnapshot());
            Assert.Equal("forward", counted.Tags["direction"]);
            var logged = logger.Collector.GetSnapshot();
            Assert.Equal(2, logged.Count);
            Assert.Contains(logged, l => l.Message.Contains("stepped +11.000 s"));
            Assert.Contains(logged, l => l.Message.Contains("FailingFollower could not follow") && l.Exception is InvalidOperationException);
            var told = Assert.Single(follower.Steps);
            Assert.Equal(TimeSpan.FromSeconds(11), told.Size);
            Assert.Equal(details.RootElement.GetProperty("readBefore").GetDateTimeOffset(), told.ReadBefore);
            Assert.Equal(told.ReadBefore.UtcTicks, told.TimestampBefore); // the fake's monotonic clock reads its unstepped time
        });

    [Fact]
    public Task A_reading_held_up_between_the_wall_clock_and_the_monotonic_clock_is_not_a_step() =>
        StoreDatabases.OnSqliteAsync("clock-held-up", async database =>
        {
            var clock = new SteppingClock(new DateTimeOffset(2026, 12, 6, 8, 34, 0, TimeSpan.Zero));
            await using var writer = new AuditWriter(database, LedgerShard.New(), NullLogger<AuditWriter>.Instance, clock);
            using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            var metrics = new SafetyNetMetrics(services.GetRequiredService<IMeterFactory>());
            using var steps = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), SafetyNetMetrics.MeterName, "safetynet.clock.steps");
            var follower = new RecordingFollower();
            await AuditLedgerFailureTests.RunAsync(writer, clock, async ledger =>
            {
                using var watch = new WallClockWatch(ledger, metrics, clock, new FakeLogger<WallClockWatch>(), [follower]);
                await watch.StartAsync(CancellationToken.None);
                for (var i = 0; i < 3; i++)
                {
                    // The watch's next reading is held up for a second between its two clocks, as on a starved machine.
                    var heldUp = clock.HoldUpNextWallReading(WallClockWatch.Interval);
                    clock.Advance(WallClockWatch.Interval);
                    await heldUp;
                }
                for (var i = 0; i < 3; i++) clock.Advance(WallClockWatch.Interval);
                await watch.StopAsync(CancellationToken.None);
            });

            Assert.Empty(steps.GetMeasurementSnapshot());
            Assert.Empty(follower.Steps);
            Assert.Null(writer.Written);
        });

    private sealed class RecordingFollower : IClockStepFollower
    {
        public List<ClockStep> Steps { get; } = [];

        public void Follow(ClockStep step) => Steps.Add(step);
    }

    private sealed class FailingFollower : IClockStepFollower
    {
        public void Follow(ClockStep step) => throw new InvalidOperationException("cannot follow");
    }

    /// <summary>A fake clock whose wall time can be set forward or back without the monotonic time moving, as a real step does.</summary>
    private sealed class SteppingClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private TimeSpan _stepped;

        private HoldUp? _holdUp;

        public void Step(TimeSpan by) => _stepped += by;

        /// <summary>The next wall reading is followed by both clocks moving on by <paramref name="by"/>; completes once it was read.</summary>
        public Task HoldUpNextWallReading(TimeSpan by)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _holdUp = new HoldUp(by, done);
            return done.Task;
        }

        public override DateTimeOffset GetUtcNow()
        {
            var now = base.GetUtcNow() + _stepped;
            if (Interlocked.Exchange(ref _holdUp, null) is { } holdUp)
            {
                Advance(holdUp.By);
                holdUp.Done.SetResult();
            }
            return now;
        }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        private sealed record HoldUp(TimeSpan By, TaskCompletionSource Done);

        public override long GetTimestamp() => base.GetUtcNow().UtcTicks;
    }
}
