using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using SafetyNet.Contracts.Errors;
using SafetyNet.Silo.Logging;

namespace SafetyNet.Tests.Hosting;

/// <summary>What an on-call engineer reads during a database outage: each place's refusals once a minute, with a count of the rest; everything else in full.</summary>
public sealed class OutageRefusalLogThrottleTests
{
    private const string Grain = "Orleans.Grain";
    private const int ActivationFailed = 100513;

    private static readonly Exception WrappedRefusal = new OrleansException("Error activating grain",
        DomainException.DatabaseUnreachable("This node cannot reach its database (no answer since 03:11:45 UTC)"));

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_place_logs_its_first_refusal_then_one_a_minute_with_the_count_left_out()
    {
        var throttle = new OutageRefusalLogThrottle(_clock);

        Assert.Equal(new(true, true, 0), throttle.Admit(Grain, ActivationFailed, WrappedRefusal));
        for (var i = 0; i < 250; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(200));
            Assert.False(throttle.Admit(Grain, ActivationFailed, WrappedRefusal).Log);
        }
        _clock.Advance(TimeSpan.FromSeconds(10)); // a minute after the one logged
        Assert.Equal(new(true, true, 250), throttle.Admit(Grain, ActivationFailed, WrappedRefusal));
        Assert.False(throttle.Admit(Grain, ActivationFailed, WrappedRefusal).Log);

        // The next outage, an hour later: its first refusal is logged, and says nothing was left out since the one before.
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(new(true, true, 1), throttle.Admit(Grain, ActivationFailed, WrappedRefusal));
    }

    [Fact]
    public void Each_place_is_throttled_on_its_own()
    {
        var throttle = new OutageRefusalLogThrottle(_clock);
        Assert.True(throttle.Admit(Grain, ActivationFailed, WrappedRefusal).Log);
        Assert.True(throttle.Admit(Grain, 100450, WrappedRefusal).Log);
        Assert.True(throttle.Admit("SafetyNet.Grains.Persistence.OutageAwareGrainStorage", ActivationFailed, WrappedRefusal).Log);
        Assert.False(throttle.Admit(Grain, ActivationFailed, WrappedRefusal).Log);
    }

    [Fact]
    public void Entries_not_caused_by_the_refusal_are_always_logged()
    {
        var throttle = new OutageRefusalLogThrottle(_clock);
        var otherFault = new OrleansException("Error activating grain", new InvalidOperationException("a bug"));
        var ledgerRefusal = DomainException.LedgerUnavailable("The audit ledger could not record the action");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(new(true, false, 0), throttle.Admit(Grain, ActivationFailed, otherFault));
            Assert.Equal(new(true, false, 0), throttle.Admit(Grain, ActivationFailed, ledgerRefusal));
            Assert.Equal(new(true, false, 0), throttle.Admit(Grain, ActivationFailed, null));
        }
    }
}
