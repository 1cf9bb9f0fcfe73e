using SafetyNet.Bench.Measurement;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Bench.Decisions;

/// <summary>
/// The audit store on its own: one writer appending fixed-size batches (hash chain + one SQLite transaction each), no
/// grains, no queue. Shows the ledger's ceiling in rows/s, which bounds decisions/s. Run only while nothing else audits.
/// </summary>
public static class AuditBatchWrites
{
    private static readonly int[] BatchSizes = [1, 64, 512];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);

    public static async Task<MarkdownTable> MeasureAsync(AuditWriter writer)
    {
        var table = new MarkdownTable("batch size", "batches", "rows/s", "p50 batch ms", "p99 batch ms", "max batch ms", "CPU cores");
        foreach (var size in BatchSizes)
        {
            // Between batches the writer folds its write-ahead log in, as the ledger's loop has it do.
            var summary = await LoadRunner.RunAsync(1, WarmUp, Duration, async (_, sequence) =>
            {
                await writer.AppendBatchAsync(Batch(size, sequence), CancellationToken.None);
                await writer.CheckpointWhenDueAsync();
            });
            table.Add(size, summary.Operations, summary.OperationsPerSecond * size, summary.P50Ms, summary.P99Ms, summary.MaxMs, summary.CpuCores);
        }
        return table;
    }

    private static AuditEntry[] Batch(int size, long sequence) =>
        Enumerable.Range(0, size).Select(i => new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.AccessDecision, "allow",
            DecisionReasons.StandingPolicy, $"11020-{(sequence * size + i) % 99_999 + 1:D5}", "seoul-112", "bench-batch",
            null, "seoul-112/bench-operator-batch", """{"purpose":"monitoring","grant":null}""")).ToArray();
}
