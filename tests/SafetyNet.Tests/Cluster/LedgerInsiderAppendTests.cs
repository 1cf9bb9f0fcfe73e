using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
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
        var cameras = await OperatorAsync(node);
        await DecideAsync(node, cameras, decisions: 5);

        var file = Path.Combine(node.Environment["Storage__DataDirectory"], "safetynet.db");
        var shard = await ShardOfDecisionsAsync(file);
        await using (var insider = new AuditWriter(SafetyNetDatabase.ForSqliteFile(file), new LedgerShard(shard), NullLogger<AuditWriter>.Instance))
            await insider.AppendBatchAsync([new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.View, "allow", CameraId: cameras[0], Actor: "insider")], CancellationToken.None);
        SqliteConnection.ClearAllPools();

        await DecideAsync(node, cameras, decisions: 5); // the first collides with the insider's row
        await Eventually.WaitAsync(() => Task.FromResult(node.Log), log => log.Contains(Complaint), TimeSpan.FromSeconds(30), "the running node to refuse the row");
        var refusals = Occurrences(node.Log, Complaint);

        await node.StopAsync();
        node.Start();
        await node.WaitReadyAsync(1);
        await OperatorAsync(node);
        await DecideAsync(node, cameras, decisions: 2);
        await Eventually.WaitAsync(() => Task.FromResult(node.Log), log => Occurrences(log, Complaint) > refusals, TimeSpan.FromSeconds(30),
            "the restarted node to refuse it again");
    }

    /// <summary>Starts an operator session on the node's client and returns cameras near City Hall.</summary>
    private static async Task<List<string>> OperatorAsync(NodeProcess node)
    {
        var (_, session) = await node.Http.SessionAsync("seoul-112", "insider-watch");
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session);
        var nearby = await node.Http.GetFromJsonAsync<JsonElement>("/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&radius=5000&limit=5");
        var cameras = nearby.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.NotEmpty(cameras);
        return cameras;
    }

    private static async Task DecideAsync(NodeProcess node, List<string> cameras, int decisions)
    {
        for (var i = 0; i < decisions; i++)
        {
            using var response = await node.Http.GetAsync($"/api/v1/cameras/{cameras[i % cameras.Count]}/access?purpose=monitoring");
            Assert.True((int)response.StatusCode == 200, $"decision {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<string> ShardOfDecisionsAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT shard FROM audit_ledger WHERE kind = 'access-decision' ORDER BY seq DESC LIMIT 1";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static int Occurrences(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;
}
