using Microsoft.Extensions.Time.Testing;
using SafetyNet.Grains.Media.Streams;
using static SafetyNet.Grains.Media.Streams.StreamCommand;

namespace SafetyNet.Tests.Media;

/// <summary>Every transition of the camera stream, on a fake clock: no process, no wall-clock wait.</summary>
public sealed class CameraStreamMachineTests
{
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan BackoffInitial = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan BackoffMax = TimeSpan.FromSeconds(4);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly CameraStreamMachine _stream;

    public CameraStreamMachineTests() => _stream = new CameraStreamMachine(new StreamTimings(Linger, BackoffInitial, BackoffMax, FailuresBeforeOffline: 3), _time);

    private CameraStreamMachine ReadyWith(params string[] viewers)
    {
        foreach (var viewer in viewers) _stream.Add(StreamConsumer.Viewer(viewer));
        _stream.ProcessReady();
        return _stream;
    }

    [Fact]
    public void A_first_consumer_starts_the_process()
    {
        Assert.Equal(StreamState.Idle, _stream.State);

        Assert.Equal([StartProcess], _stream.Add(StreamConsumer.Viewer("lease-1")));

        Assert.Equal(StreamState.Starting, _stream.State);
        Assert.Null(_stream.NextDueAt);
    }

    [Fact]
    public void A_second_consumer_starts_nothing_more()
    {
        _stream.Add(StreamConsumer.Viewer("lease-1"));

        Assert.Empty(_stream.Add(StreamConsumer.Viewer("lease-2")));
        Assert.Equal(StreamState.Starting, _stream.State);
        Assert.Equal(2, _stream.Consumers.Count);
    }

    [Fact]
    public void First_media_makes_it_ready_and_reports_online()
    {
        _stream.Add(StreamConsumer.Viewer("lease-1"));

        Assert.Equal([ReportOnline], _stream.ProcessReady());

        Assert.Equal(StreamState.Ready, _stream.State);
    }

    [Fact]
    public void A_failed_start_backs_off_and_starts_again_when_the_backoff_is_over()
    {
        _stream.Add(StreamConsumer.Viewer("lease-1"));

        Assert.Empty(_stream.ProcessExited());
        Assert.Equal(StreamState.Backoff, _stream.State);
        Assert.Equal(1, _stream.ConsecutiveFailures);
        Assert.Equal(_time.GetUtcNow() + BackoffInitial, _stream.RetryAt);
        Assert.Equal(_stream.RetryAt, _stream.NextDueAt);

        _time.Advance(BackoffInitial - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_stream.Tick());
        Assert.Equal(StreamState.Backoff, _stream.State);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([StartProcess], _stream.Tick());
        Assert.Equal(StreamState.Starting, _stream.State);
    }

    [Fact]
    public void The_backoff_doubles_with_each_failure_up_to_its_maximum()
    {
        _stream.Add(StreamConsumer.Viewer("lease-1"));
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            _stream.ProcessExited();
            delays.Add(_stream.RetryAt!.Value - _time.GetUtcNow());
            _time.Advance(delays[^1]);
            Assert.Equal([StartProcess], _stream.Tick());
        }

        Assert.Equal([0.5, 1, 2, 4, 4, 4], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void Repeated_failed_starts_report_offline_and_recovery_reports_online()
    {
        _stream.Add(StreamConsumer.Viewer("lease-1"));
        Assert.Empty(_stream.ProcessExited());
        _time.Advance(BackoffInitial);
        _stream.Tick();
        Assert.Empty(_stream.ProcessExited());
        _time.Advance(BackoffInitial * 2);
        _stream.Tick();

        Assert.Equal([ReportOffline], _stream.ProcessExited());
        Assert.Equal(3, _stream.ConsecutiveFailures);

        _time.Advance(BackoffInitial * 4);
        _stream.Tick();
        Assert.Equal([ReportOnline], _stream.ProcessReady());
        Assert.Equal(StreamState.Ready, _stream.State);
    }

    [Fact]
    public void A_run_that_had_produced_media_counts_as_a_first_failure_when_it_drops()
    {
        _stream.Add(StreamConsumer.Viewer("lease-1"));
        _stream.ProcessExited();
        _time.Advance(BackoffInitial);
        _stream.Tick();
        _stream.ProcessExited();
        _time.Advance(BackoffInitial * 2);
        _stream.Tick();
        _stream.ProcessReady();

        Assert.Empty(_stream.ProcessExited());

        Assert.Equal(1, _stream.ConsecutiveFailures);
        Assert.Equal(_time.GetUtcNow() + BackoffInitial, _stream.RetryAt);
    }

    [Fact]
    public void The_last_consumer_leaving_starts_the_linger()
    {
        ReadyWith("lease-1", "lease-2");

        Assert.Empty(_stream.Remove("lease-1"));
        Assert.Equal(StreamState.Ready, _stream.State);

        Assert.Empty(_stream.Remove("lease-2"));
        Assert.Equal(StreamState.Lingering, _stream.State);
        Assert.Equal(_time.GetUtcNow() + Linger, _stream.NextDueAt);
    }

    [Fact]
    public void A_consumer_arriving_while_lingering_returns_to_ready_without_a_restart()
    {
        ReadyWith("lease-1");
        _stream.Remove("lease-1");
        _time.Advance(Linger / 2);

        Assert.Empty(_stream.Add(StreamConsumer.Viewer("lease-2")));

        Assert.Equal(StreamState.Ready, _stream.State);
        Assert.Null(_stream.NextDueAt);
        _time.Advance(Linger);
        Assert.Empty(_stream.Tick());
        Assert.Equal(StreamState.Ready, _stream.State);
    }

    [Fact]
    public void The_end_of_the_linger_stops_the_process_and_its_exit_makes_it_idle()
    {
        ReadyWith("lease-1");
        _stream.Remove("lease-1");

        _time.Advance(Linger - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_stream.Tick());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([StopProcess], _stream.Tick());
        Assert.Equal(StreamState.Stopping, _stream.State);

        Assert.Equal([Stopped], _stream.ProcessExited());
        Assert.Equal(StreamState.Idle, _stream.State);
        Assert.Null(_stream.NextDueAt);
    }

    [Fact]
    public void A_zero_linger_stops_as_the_last_consumer_leaves()
    {
        var stream = new CameraStreamMachine(new StreamTimings(TimeSpan.Zero, BackoffInitial, BackoffMax, 3), _time);
        stream.Add(StreamConsumer.Viewer("lease-1"));
        stream.ProcessReady();

        Assert.Equal([StopProcess], stream.Remove("lease-1"));
    }

    [Fact]
    public void A_consumer_arriving_while_stopping_starts_a_new_process_once_the_old_one_exited()
    {
        ReadyWith("lease-1");
        _stream.Remove("lease-1");
        _time.Advance(Linger);
        _stream.Tick();

        Assert.Empty(_stream.Add(StreamConsumer.Viewer("lease-2")));
        Assert.Equal(StreamState.Stopping, _stream.State);

        Assert.Equal([StartProcess], _stream.ProcessExited());
        Assert.Equal(StreamState.Starting, _stream.State);
    }

    [Fact]
    public void A_prewarm_holds_the_stream_until_its_time_then_it_lingers()
    {
        var until = _time.GetUtcNow() + TimeSpan.FromMinutes(10);
        _stream.Add(StreamConsumer.Prewarm("incident-1", until));
        _stream.ProcessReady();
        Assert.Equal(until, _stream.NextDueAt);

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Empty(_stream.Tick());
        Assert.Equal(StreamState.Ready, _stream.State);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(_stream.Tick());
        Assert.Equal(StreamState.Lingering, _stream.State);
        Assert.Empty(_stream.Consumers);

        _time.Advance(Linger);
        Assert.Equal([StopProcess], _stream.Tick());
    }

    [Fact]
    public void A_renewed_prewarm_holds_until_its_new_time()
    {
        var start = _time.GetUtcNow();
        _stream.Add(StreamConsumer.Prewarm("incident-1", start + TimeSpan.FromMinutes(1)));
        _stream.ProcessReady();

        _stream.Add(StreamConsumer.Prewarm("incident-1", start + TimeSpan.FromMinutes(5)));
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Empty(_stream.Tick());
        Assert.Equal(StreamState.Ready, _stream.State);
        Assert.Single(_stream.Consumers);
    }

    [Fact]
    public void A_released_prewarm_lets_the_stream_linger_while_a_viewer_keeps_it_ready()
    {
        _stream.Add(StreamConsumer.Prewarm("incident-1", _time.GetUtcNow() + TimeSpan.FromHours(1)));
        _stream.Add(StreamConsumer.Viewer("lease-1"));
        _stream.ProcessReady();

        _stream.Remove(StreamConsumer.Prewarm("incident-1", default).Id);
        Assert.Equal(StreamState.Ready, _stream.State);

        _stream.Remove("lease-1");
        Assert.Equal(StreamState.Lingering, _stream.State);
    }

    [Fact]
    public void Stopping_while_starting_stops_the_process_and_drops_every_consumer()
    {
        _stream.Add(StreamConsumer.Viewer("lease-1"));

        Assert.Equal([StopProcess], _stream.Stop());
        Assert.Equal(StreamState.Stopping, _stream.State);
        Assert.Empty(_stream.Consumers);

        Assert.Empty(_stream.ProcessReady());
        Assert.Equal([Stopped], _stream.ProcessExited());
        Assert.Equal(StreamState.Idle, _stream.State);
    }

    [Fact]
    public void Stopping_in_backoff_is_idle_at_once()
    {
        _stream.Add(StreamConsumer.Viewer("lease-1"));
        _stream.ProcessExited();

        Assert.Equal([Stopped], _stream.Stop());

        Assert.Equal(StreamState.Idle, _stream.State);
        Assert.Null(_stream.NextDueAt);
    }

    [Fact]
    public void Stopping_an_idle_stream_does_nothing()
    {
        Assert.Empty(_stream.Stop());
        Assert.Equal(StreamState.Idle, _stream.State);
    }

    [Fact]
    public void A_stream_whose_last_consumer_left_while_starting_becomes_ready_lingering_and_stops_at_the_same_deadline()
    {
        _stream.Add(StreamConsumer.Viewer("lease-1"));
        _stream.Remove("lease-1");
        Assert.Equal(StreamState.Starting, _stream.State);
        var deadline = _time.GetUtcNow() + Linger;
        Assert.Equal(deadline, _stream.NextDueAt);

        _time.Advance(Linger / 3);
        _stream.ProcessReady();
        Assert.Equal(StreamState.Lingering, _stream.State);
        Assert.Equal(deadline, _stream.NextDueAt);

        _time.Advance(deadline - _time.GetUtcNow());
        Assert.Equal([StopProcess], _stream.Tick());
    }

    [Fact]
    public void A_stream_in_backoff_without_consumers_goes_idle_when_the_linger_ends()
    {
        _stream.Add(StreamConsumer.Viewer("lease-1"));
        _stream.Remove("lease-1");
        for (var i = 0; i < 50 && _stream.State != StreamState.Idle; i++)
        {
            if (_stream.State is StreamState.Starting or StreamState.Stopping)
            {
                _stream.ProcessExited();
                continue;
            }
            Assert.True(_stream.NextDueAt <= _time.GetUtcNow() + Linger);
            _time.Advance(_stream.NextDueAt!.Value - _time.GetUtcNow());
            _stream.Tick();
        }

        Assert.Equal(StreamState.Idle, _stream.State);
        Assert.Equal(0, _stream.ConsecutiveFailures);
    }

    [Fact]
    public void Releasing_an_unknown_consumer_changes_nothing()
    {
        ReadyWith("lease-1");

        Assert.Empty(_stream.Remove("lease-unknown"));
        Assert.Equal(StreamState.Ready, _stream.State);
    }

    [Fact]
    public void A_stale_exit_after_idle_is_ignored()
    {
        Assert.Empty(_stream.ProcessExited());
        Assert.Empty(_stream.ProcessReady());
        Assert.Equal(StreamState.Idle, _stream.State);
    }
}
