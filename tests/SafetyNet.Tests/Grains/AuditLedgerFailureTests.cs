using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Spatial;
using SafetyNet.Tests.Persistence;

namespace SafetyNet.Tests.Grains;

/// <summary>
/// What the callers of the ledger see when a batch cannot be written even on a new connection: a refusal the API answers
/// with 503 (retry), never a bare database error; and the ledger goes on with the next batch.
/// </summary>
public sealed class AuditLedgerFailureTests
{
    [Fact]
    public Task An_action_the_ledger_cannot_record_is_refused_as_ledger_unavailable_and_the_next_is_recorded() =>
        StoreDatabases.OnSqliteAsync("ledger-failure", async database =>
        {
            using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            await using var writer = new AuditWriter(database, LedgerShard.New(), NullLogger<AuditWriter>.Instance);
            var ledger = new AuditLedger(writer, new CameraIndex(), new SafetyNetMetrics(services.GetRequiredService<IMeterFactory>()), TimeProvider.System, NullLogger<AuditLedger>.Instance);
            await ledger.StartAsync(CancellationToken.None);
            try
            {
                // An entry without a kind breaks a NOT NULL constraint at both attempts.
                var refused = await Assert.ThrowsAsync<DomainException>(() => ledger.AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, null!)));
                Assert.Equal(DomainErrorKind.LedgerUnavailable, refused.Kind);
                Assert.Contains("was not performed", refused.Message);

                await ledger.AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.View, "allow", CameraId: "11020-00001"));
                Assert.Equal(1, writer.Written!.Head.Seq);
            }
            finally
            {
                await ledger.StopAsync(CancellationToken.None);
            }
        });
}
