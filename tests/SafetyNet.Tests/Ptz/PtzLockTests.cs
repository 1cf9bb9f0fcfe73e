using Microsoft.Extensions.Time.Testing;
using SafetyNet.Grains.Ptz;

namespace SafetyNet.Tests.Ptz;

/// <summary>The PTZ lock's rules on a fake clock: one holder, lapse after the timeout unless used, priority preemption, endings.</summary>
public sealed class PtzLockTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly PtzLock _lock;

    public PtzLockTests() => _lock = new PtzLock(_clock, Timeout);

    private static PtzLockHolder Holder(string session, int priority, string agency = "police-jung") =>
        new($"lease-{session}", session, agency, "op", priority, $"incident-p{priority}");

    [Fact]
    public void A_free_lock_is_taken_until_the_timeout_and_a_second_session_of_equal_priority_is_refused_with_the_holder()
    {
        var first = _lock.Acquire(Holder("a", 3));
        Assert.Equal(PtzLockOutcome.Acquired, first.Outcome);
        Assert.Equal(_clock.GetUtcNow() + Timeout, first.Until);

        var second = _lock.Acquire(Holder("b", 3, "seoul-112"));
        Assert.Equal(PtzLockOutcome.Refused, second.Outcome);
        Assert.Equal("police-jung", second.Previous!.AgencyId);
        Assert.Equal(first.Until, second.Until);
        Assert.Equal("a", _lock.Holder!.SessionId);
    }

    [Fact]
    public void A_lower_priority_is_refused_and_a_higher_priority_preempts_naming_the_previous_holder()
    {
        _lock.Acquire(Holder("a", 2));
        Assert.Equal(PtzLockOutcome.Refused, _lock.Acquire(Holder("low", 4)).Outcome);

        var preempt = _lock.Acquire(Holder("urgent", 1, "seoul-112"));
        Assert.Equal(PtzLockOutcome.Preempted, preempt.Outcome);
        Assert.Equal("a", preempt.Previous!.SessionId);
        Assert.Equal("urgent", _lock.Holder!.SessionId);
        Assert.False(_lock.Touch("a"));
    }

    [Fact]
    public void The_lock_lapses_after_the_timeout_unless_a_command_renews_it()
    {
        _lock.Acquire(Holder("a", 3));
        _clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Null(_lock.Expire());
        Assert.True(_lock.Touch("a"));
        _clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Null(_lock.Expire());
        Assert.Equal("a", _lock.Holder!.SessionId);

        _clock.Advance(TimeSpan.FromSeconds(10));
        var lapsed = _lock.Expire();
        Assert.Equal("a", lapsed!.SessionId);
        Assert.Null(_lock.Holder);
        Assert.Null(_lock.Expire());
        Assert.False(_lock.Touch("a"));
        Assert.Equal(PtzLockOutcome.Acquired, _lock.Acquire(Holder("b", 5)).Outcome);
    }

    [Fact]
    public void The_same_session_taking_it_again_renews_it_even_at_a_lower_priority()
    {
        _lock.Acquire(Holder("a", 2));
        _clock.Advance(TimeSpan.FromSeconds(30));
        var again = _lock.Acquire(Holder("a", 9));
        Assert.Equal(PtzLockOutcome.Renewed, again.Outcome);
        Assert.Equal(_clock.GetUtcNow() + Timeout, again.Until);
    }

    [Fact]
    public void Release_and_lease_end_end_only_the_holders_lock()
    {
        _lock.Acquire(Holder("a", 3));
        Assert.Null(_lock.Release("b"));
        Assert.Null(_lock.EndLease("lease-b"));
        Assert.NotNull(_lock.Holder);

        Assert.Equal("a", _lock.Release("a")!.SessionId);
        Assert.Null(_lock.Holder);

        _lock.Acquire(Holder("c", 3));
        Assert.Equal("c", _lock.EndLease("lease-c")!.SessionId);
        Assert.Null(_lock.Holder);
    }
}
