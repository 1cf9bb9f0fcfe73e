using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Spatial;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Persistence;

namespace SafetyNet.Tests.Grains;

/// <summary>
/// What the callers of the ledger see when a batch cannot be written even on a new connection: a refusal the API answers
/// with 503 (retry), never a bare database error. A batch the database rejects is refused alone, and the ledger goes on
/// with the next; a database that cannot be reached at all has the ledger refuse at once until it reconnects.
/// </summary>
public sealed class AuditLedgerFailureTests
{
    private static readonly AuditLedgerOptions LedgerOptions = new() { ReconnectInterval = TimeSpan.FromSeconds(2) };

    [Fact]
    public Task An_action_the_ledger_cannot_record_is_refused_as_ledger_unavailable_and_the_next_is_recorded() =>
        StoreDatabases.OnSqliteAsync("ledger-failure", async database =>
        {
            await using var writer = new AuditWriter(database, LedgerShard.New(), NullLogger<AuditWriter>.Instance);
            await RunAsync(writer, TimeProvider.System, async ledger =>
            {
                // An entry without a kind breaks a NOT NULL constraint at both attempts.
                var refused = await Assert.ThrowsAsync<DomainException>(() => ledger.AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, null!)));
                Assert.Equal(DomainErrorKind.LedgerUnavailable, refused.Kind);
                Assert.Contains("was not performed", refused.Message);
                Assert.Null(ledger.DatabaseUnreachableSince); // the database answered: only that batch was at fault

                await ledger.AppendAsync(View());
                Assert.Equal(1, writer.Written!.Head.Seq);
            });
        });

    [Fact]
    public Task While_the_database_cannot_be_reached_actions_are_refused_at_once_and_recorded_again_once_it_can() =>
        StoreDatabases.OnSqliteAsync("ledger-unreachable", async database =>
        {
            // The database file's folder moved away: no connection can be opened, as with a server that is down.
            var folder = Path.GetDirectoryName(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource)!;
            SqliteConnection.ClearAllPools();
            Directory.Move(folder, folder + ".away");
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
            await using var writer = new AuditWriter(database, LedgerShard.New(), NullLogger<AuditWriter>.Instance, clock);
            var logger = new FakeLogger<AuditLedger>();
            await RunAsync(writer, clock, async ledger =>
            {
                var first = await Assert.ThrowsAsync<DomainException>(() => ledger.AppendAsync(View()));
                Assert.Equal(DomainErrorKind.LedgerUnavailable, first.Kind);
                Assert.Contains("cannot reach its database (no answer since 09:00:00 UTC)", first.Message);
                Assert.Equal(clock.GetUtcNow(), ledger.DatabaseUnreachableSince);

                // Refused without waiting on the database: the task has failed before it is returned.
                var next = ledger.AppendAsync(View());
                Assert.True(next.IsFaulted);
                Assert.Equal(DomainErrorKind.LedgerUnavailable, Assert.IsType<DomainException>(next.Exception!.InnerException).Kind);

                // It tries to reconnect, and goes on trying while the database is away (its log says so once a minute) ...
                await Eventually.WaitAsync(() =>
                {
                    clock.Advance(RecurringFailureLog.ReminderInterval);
                    return Task.FromResult(logger.Collector.GetSnapshot().Count(r => r.Message.Contains("still fails")));
                }, lines => lines > 0, TimeSpan.FromSeconds(30), "a failed reconnect");
                Assert.NotNull(ledger.DatabaseUnreachableSince);

                // ... and records again once it is back.
                Directory.Move(folder + ".away", folder);
                await Eventually.WaitAsync(() =>
                {
                    clock.Advance(LedgerOptions.ReconnectInterval);
                    return Task.FromResult(ledger.DatabaseUnreachableSince);
                }, since => since is null, TimeSpan.FromSeconds(30), "the ledger to reconnect");
                Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.Contains("works again"));

                await ledger.AppendAsync(View());
                Assert.Equal(1, writer.Written!.Head.Seq); // the refused actions were not recorded
            }, logger);
        });

    private static AuditEntry View() => new(DateTimeOffset.UtcNow, AuditKinds.View, "allow", CameraId: "11020-00001");

    /// <summary>A ledger over <paramref name="writer"/>, started for <paramref name="exercise"/> and stopped after it.</summary>
    internal static async Task RunAsync(AuditWriter writer, TimeProvider clock, Func<AuditLedger, Task> exercise, ILogger<AuditLedger>? logger = null,
        AuditLedgerOptions? options = null)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var ledger = new AuditLedger(writer, new CameraIndex(), new SafetyNetMetrics(services.GetRequiredService<IMeterFactory>()), clock,
            Options.Create(options ?? LedgerOptions), logger ?? NullLogger<AuditLedger>.Instance);
        await ledger.StartAsync(CancellationToken.None);
        try
        {
            await exercise(ledger);
        }
        finally
        {
            await ledger.StopAsync(CancellationToken.None);
        }
    }
}
