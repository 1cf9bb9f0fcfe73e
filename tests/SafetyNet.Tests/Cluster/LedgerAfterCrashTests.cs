using Microsoft.Data.Sqlite;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// The on-call engineer's case: a node killed with SIGKILL, its unsigned audit rows rewritten consistently in its SQLite file
/// while it is down, and the node started again. Its writer's head note survived the kill, so the restarted node refuses
/// to sign the rewritten rows and says so at Critical.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class LedgerAfterCrashTests
{
    [Fact]
    public async Task Rows_rewritten_while_a_killed_node_was_down_are_refused_when_it_starts_again()
    {
        await using var node = new NodeProcess(1, "unused", new string('k', 40), new Dictionary<string, string>
        {
            ["Cluster__Provider"] = "Embedded",
            ["Demo__Cameras"] = "500",
            ["Audit__CheckpointInterval"] = "01:00:00",
        });
        // A clean stop signs a last checkpoint (and starts the witness); with an hour between checkpoints, the next run's
        // decisions then stay unsigned until the kill.
        node.Start();
        await node.WaitReadyAsync(1);
        await NodeOperator.DecideAsync(node, await NodeOperator.SignInAsync(node, "crash-operator"), decisions: 5);
        await node.StopAsync();
        node.Start();
        await node.WaitReadyAsync(1);
        await NodeOperator.DecideAsync(node, await NodeOperator.SignInAsync(node, "crash-operator"), decisions: 20);
        node.Kill();
        await node.WaitExitAsync(TimeSpan.FromSeconds(10));

        var file = Path.Combine(node.Environment["Storage__DataDirectory"], "safetynet.db");
        var (shard, last) = await LedgerInsider.NewestRowAsync(file);
        await LedgerInsider.RewriteFromAsync(SafetyNetDatabase.ForSqliteFile(file), shard, position: last - 5);
        SqliteConnection.ClearAllPools();

        node.Start();
        await node.WaitReadyAsync(1);
        await Eventually.WaitAsync(() => Task.FromResult(node.Log), log => log.Contains("were rewritten while it was down"), TimeSpan.FromSeconds(30),
            "the restarted node to refuse the rewritten rows");
        Assert.Contains("no longer has the hash the writer noted outside the database", node.Log);
    }
}
