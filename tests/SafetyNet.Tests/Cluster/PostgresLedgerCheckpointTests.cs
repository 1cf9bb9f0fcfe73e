using System.Net;
using System.Security.Cryptography;
using Npgsql;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// Two nodes on one PostgreSQL ledger, each writing its own shard with its own checkpoint key and trusting the other's:
/// each signs checkpoints over its shard that link the other's, each verifies both, and a truncation of one shard hidden
/// in the database (rows, head and that node's checkpoints) is named by either node's witness.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class PostgresLedgerCheckpointTests
{
    [Fact]
    public async Task Every_node_checkpoints_the_shared_ledger_and_a_hidden_truncation_is_named_by_the_witness()
    {
        await using var database = await TestDatabase.CreateAsync();
        var keys = Directory.CreateTempSubdirectory("safetynet-audit-keys-").FullName;
        string[] privateKeys = [Path.Combine(keys, "node1.pem"), Path.Combine(keys, "node2.pem")];
        string[] publicKeys = [Path.Combine(keys, "node1.pub.pem"), Path.Combine(keys, "node2.pub.pem")];
        for (var i = 0; i < 2; i++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            await File.WriteAllTextAsync(privateKeys[i], key.ExportPkcs8PrivateKeyPem());
            await File.WriteAllTextAsync(publicKeys[i], key.ExportSubjectPublicKeyInfoPem());
        }
        Dictionary<string, string?> Settings(int i, bool seed) => TestNode.OnPostgres(database.ConnectionString, "ledger-test", new()
        {
            ["Demo:Seed"] = seed.ToString(),
            ["Audit:CheckpointInterval"] = "00:00:00.200",
            ["Audit:SigningKeyPath"] = privateKeys[i],
            ["Audit:TrustedPublicKeys:0"] = publicKeys[1 - i],
        });

        var nodes = new List<TestNode>();
        try
        {
            var node1 = await TestNode.StartAsync(cameras: 2000, extra: Settings(0, seed: true));
            nodes.Add(node1);
            var node2 = await TestNode.StartAsync(cameras: 2000, extra: Settings(1, seed: false));
            nodes.Add(node2);
            var (_, operatorToken) = await node2.SessionAsync("seoul-112", "kim");
            for (var i = 0; i < 20; i++)
            {
                using var response = await node2.SendAsync(HttpMethod.Get, $"/api/v1/cameras/11020-{i % 5 + 1:D5}/access?purpose=monitoring", operatorToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            // A decision is written to the shard of the node its camera is active on, so the 20 spread over both shards; the
            // one holding most is cut. The other node's checkpoints vouch for it only through their links.
            var shard = await ShardOfMostDecisionsAsync(database);
            var last = await database.ScalarAsync($"SELECT last_seq FROM audit_shard_head WHERE shard = '{shard}'");

            var auditor1 = await node1.TokenAsync("control-jung", "privacy-officer", "auditor");
            var auditor2 = await node2.TokenAsync("control-jung", "privacy-officer", "auditor");
            foreach (var (node, auditor) in new[] { (node1, auditor1), (node2, auditor2) })
            {
                var covered = await Eventually.WaitAsync(() => node.VerifyLedgerAsync(auditor), v => v.Intact && v.UncheckpointedRecords == 0,
                    TimeSpan.FromSeconds(30), "checkpoints covering every shard");
                Assert.Equal(0, covered.UntrustedCheckpoints);
            }
            Assert.Equal(2, await database.ScalarAsync("SELECT count(DISTINCT key_id) FROM audit_checkpoint"));
            await Eventually.WaitAsync(() => database.ScalarAsync(
                    $"SELECT count(*) FROM audit_checkpoint WHERE chain <> '{shard}' AND links LIKE '%{shard} {last} %'"),
                linking => linking > 0, TimeSpan.FromSeconds(30), "node1's checkpoint linking node2's shard past the decisions");

            Assert.True(last >= 10, $"shard {shard} holds {last} rows, too few to cut");
            var cut = last / 2;
            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.OpenAsync();
                await using var tamper = new NpgsqlCommand($"""
                    ALTER TABLE audit_ledger DISABLE TRIGGER USER; ALTER TABLE audit_checkpoint DISABLE TRIGGER USER;
                    DELETE FROM audit_ledger WHERE shard = '{shard}' AND shard_seq > {cut};
                    DELETE FROM audit_checkpoint WHERE chain = '{shard}' AND seq > {cut};
                    UPDATE audit_shard_head SET last_seq = {cut}, last_hash = (SELECT hash FROM audit_ledger WHERE shard = '{shard}' AND shard_seq = {cut}) WHERE shard = '{shard}';
                    """, connection);
                await tamper.ExecuteNonQueryAsync();
            }

            foreach (var (node, auditor) in new[] { (node1, auditor1), (node2, auditor2) })
            {
                var result = await node.VerifyLedgerAsync(auditor);
                Assert.False(result.Intact);
                Assert.Equal(cut + 1, result.FirstBrokenSeq);
                Assert.Equal(shard, result.BrokenShard);
                Assert.Equal("witness", result.BrokenCheckpoint!.Source);
                Assert.Contains("were removed", result.Problem);
            }
        }
        finally
        {
            foreach (var node in Enumerable.Reverse(nodes))
            {
                await node.DisposeAsync();
                node.DeleteData();
            }
            Directory.Delete(keys, recursive: true);
        }
    }

    private static async Task<string> ShardOfMostDecisionsAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT shard FROM audit_ledger WHERE kind = 'access-decision' GROUP BY shard ORDER BY count(*) DESC LIMIT 1", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

}
