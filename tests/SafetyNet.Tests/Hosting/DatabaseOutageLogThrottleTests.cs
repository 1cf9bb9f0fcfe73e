using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans.Runtime;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Observability;
using SafetyNet.Silo.Logging;

namespace SafetyNet.Tests.Hosting;

/// <summary>What an on-call engineer reads during a database outage: each place's outage entries once a minute, with a count of the rest; everything else in full.</summary>
public sealed class DatabaseOutageLogThrottleTests
{
    private const string Grain = "Orleans.Grain";
    private static readonly EventId ActivationFailed = new(100513);

    private static readonly Exception WrappedRefusal = new OrleansException("Error activating grain",
        DomainException.DatabaseUnreachable("This node cannot reach its database (no answer since 03:11:45 UTC)"));

    /// <summary>What Orleans' reminder service logs each time it cannot read its table from a silent database.</summary>
    private static readonly Exception LostConnection = new OrleansException("Failed to read rows from table",
        new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt")));

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_place_logs_its_first_refusal_then_one_a_minute_with_the_count_left_out()
    {
        var throttle = new DatabaseOutageLogThrottle(_clock);

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
    public void A_lost_database_connection_is_held_back_like_the_refusal()
    {
        var throttle = new DatabaseOutageLogThrottle(_clock);
        var reminders = "Orleans.Runtime.ReminderService.LocalReminderService";
        Assert.Equal(new(true, true, 0), throttle.Admit(reminders, new EventId(102316), LostConnection));
        for (var i = 0; i < 59; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            Assert.False(throttle.Admit(reminders, new EventId(102316), LostConnection).Log);
        }
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new(true, true, 59), throttle.Admit(reminders, new EventId(102316), LostConnection));
    }

    [Fact]
    public void Each_place_is_throttled_on_its_own()
    {
        var throttle = new DatabaseOutageLogThrottle(_clock);
        Assert.True(throttle.Admit(Grain, ActivationFailed, WrappedRefusal).Log);
        Assert.True(throttle.Admit(Grain, new EventId(100450), WrappedRefusal).Log);
        Assert.True(throttle.Admit("SafetyNet.Grains.Persistence.OutageAwareGrainStorage", ActivationFailed, WrappedRefusal).Log);
        Assert.False(throttle.Admit(Grain, ActivationFailed, WrappedRefusal).Log);
    }

    [Fact]
    public void Entries_not_caused_by_the_outage_and_the_first_of_a_recurring_failure_are_always_logged()
    {
        var throttle = new DatabaseOutageLogThrottle(_clock);
        var otherFault = new OrleansException("Error activating grain", new InvalidOperationException("a bug"));
        var ledgerRefusal = DomainException.LedgerUnavailable("The audit ledger could not record the action");
        var badStatement = new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505");
        const string Ledger = "SafetyNet.Grains.Audit.AuditLedger";
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(new(true, false, 0), throttle.Admit(Grain, ActivationFailed, otherFault));
            Assert.Equal(new(true, false, 0), throttle.Admit(Grain, ActivationFailed, ledgerRefusal));
            Assert.Equal(new(true, false, 0), throttle.Admit(Grain, ActivationFailed, badStatement));
            Assert.Equal(new(true, false, 0), throttle.Admit(Grain, ActivationFailed, null));
            // A second outage's beginning, seconds after the first's: its writer logs it once per run already.
            Assert.Equal(new(true, false, 0), throttle.Admit(Ledger, RecurringFailureLog.FirstFailure, LostConnection));
        }
    }
}
