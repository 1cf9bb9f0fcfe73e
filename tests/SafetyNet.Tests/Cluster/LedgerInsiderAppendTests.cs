using Microsoft.Data.Sqlite;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// An insider appends a well-chained row to a running node's shard in its SQLite file. The operator working at that moment
/// never notices (the writer's batch that collides with the row is written after it on a new connection); the node says
/// at Critical that its head moved, and says so again after a restart, because the move is noted outside the database.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class LedgerInsiderAppendTests
{
    private const string Complaint = "head moved from row";

    [Fact]
    public async Task A_row_appended_behind_a_running_nodes_back_is_refused_in_that_run_and_after_a_restart_and_the_operator_never_notices()
    {
        await using var node = new NodeProcess(1, "unused", new string('k', 40), new Dictionary<string, string>
        {
            ["Cluster__Provider"] = "Embedded",
            ["Demo__Cameras"] = "500",
            ["Audit__CheckpointInterval"] = "00:00:00.200",
        });
        node.Start();
        await node.WaitReadyAsync(1);
        var cameras = await NodeOperator.SignInAsync(node, "insider-watch");
        await NodeOperator.DecideAsync(node, cameras, decisions: 5);

        var file = Path.Combine(node.Environment["Storage__DataDirectory"], "safetynet.db");
        var (shard, _) = await LedgerInsider.NewestRowAsync(file);
        await LedgerInsider.AppendAsync(SafetyNetDatabase.ForSqliteFile(file), shard,
            new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.View, "allow", CameraId: cameras[0], Actor: "insider"));
        SqliteConnection.ClearAllPools();

        await NodeOperator.DecideAsync(node, cameras, decisions: 5); // the first collides with the insider's row
        await Eventually.WaitAsync(() => Task.FromResult(node.Log), log => log.Contains(Complaint), TimeSpan.FromSeconds(30), "the running node to refuse the row");
        var refusals = Occurrences(node.Log, Complaint);

        await node.StopAsync();
        node.Start();
        await node.WaitReadyAsync(1);
        await NodeOperator.DecideAsync(node, await NodeOperator.SignInAsync(node, "insider-watch"), decisions: 2);
        await Eventually.WaitAsync(() => Task.FromResult(node.Log), log => Occurrences(log, Complaint) > refusals, TimeSpan.FromSeconds(30),
            "the restarted node to refuse it again");
    }

    private static int Occurrences(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;
}
