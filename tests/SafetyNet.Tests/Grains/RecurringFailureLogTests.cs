using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Tests.Grains;

/// <summary>
/// The on-call engineer reads a node's log through a database outage of a few minutes: a task that retries every second
/// writes its failure once in full, then a line a minute that it goes on, then one line when it works again; not a stack
/// trace a second.
/// </summary>
public sealed class RecurringFailureLogTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 16, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();

    [Fact]
    public void An_outage_of_three_minutes_at_a_tick_a_second_is_five_lines()
    {
        var log = new RecurringFailureLog(_logger, "Signing an audit checkpoint", _clock);
        var outage = new InvalidOperationException("database \"sn\" is not currently accepting connections");
        for (var second = 0; second <= 180; second++)
        {
            log.Failed(outage, context: " at 1:42");
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        _clock.Advance(TimeSpan.FromMilliseconds(400)); // the end line says whole seconds
        log.Succeeded();
        log.Succeeded();

        var lines = _logger.Collector.GetSnapshot();
        Assert.Equal(5, lines.Count);
        Assert.Equal(LogLevel.Error, lines[0].Level);
        Assert.Same(outage, lines[0].Exception);
        Assert.Equal("Signing an audit checkpoint failed at 1:42; the next tick retries", lines[0].Message);
        Assert.All(lines.Skip(1).Take(3), l => Assert.Null(l.Exception));
        Assert.Equal("Signing an audit checkpoint still fails: 61 attempts since 2026-12-05 16:00:00Z; the latest: database \"sn\" is not currently accepting connections", lines[1].Message);
        Assert.Contains("181 attempts", lines[3].Message);
        Assert.Equal(LogLevel.Information, lines[4].Level);
        Assert.Equal("Signing an audit checkpoint works again after 181 failed attempts over 0:03:01", lines[4].Message);
    }

    [Fact]
    public void A_second_outage_is_written_in_full_again_and_a_task_that_never_failed_writes_nothing()
    {
        var log = new RecurringFailureLog(_logger, "Judging audit entries for misuse", _clock);
        log.Succeeded();
        log.Failed(new TimeoutException("first"), LogLevel.Warning);
        log.Succeeded();
        _clock.Advance(TimeSpan.FromSeconds(5));
        log.Failed(new TimeoutException("second"), LogLevel.Warning);

        var lines = _logger.Collector.GetSnapshot();
        Assert.Equal(3, lines.Count);
        Assert.Equal([LogLevel.Warning, LogLevel.Information, LogLevel.Warning], lines.Select(l => l.Level));
        Assert.Equal("second", lines[2].Exception?.Message);
    }
}
