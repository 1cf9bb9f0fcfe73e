using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SafetyNet.Contracts.Audit;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// The on-call engineer restarts PostgreSQL (or it fails over) under a running node, as a 112 dispatch system and an
/// operator go on working: every connection the node held is dropped. Audited decisions go on (the ledger writer retries
/// its batch on a new connection); a request that meets another dropped connection is answered 503 with Retry-After, never
/// 500, and its retry succeeds; the ledger stays intact.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class DatabaseRestartTests
{
    [Fact]
    public async Task After_the_database_drops_every_connection_decisions_go_on_and_nothing_answers_500()
    {
        await using var database = await TestDatabase.CreateAsync();
        var pooled = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = true }.ToString();
        var node = await TestNode.StartAsync(cameras: 2000, extra: new Dictionary<string, string?>
        {
            ["Cluster:Provider"] = "Postgres",
            ["ConnectionStrings:SafetyNet"] = pooled,
            ["Cluster:ClusterId"] = "restart-test",
            ["Auth:SigningKey"] = "a-shared-test-signing-key-of-at-least-32-characters",
        });
        try
        {
            var (_, operatorToken) = await node.SessionAsync("seoul-112", "kim");
            var dispatch = await node.TokenAsync("seoul-112", "cad", "dispatch-system");
            var cameras = Enumerable.Range(1, 5).Select(i => $"11020-{i:D5}").ToList();
            foreach (var camera in cameras) Assert.Equal(HttpStatusCode.OK, (await DecideAsync(node, operatorToken, camera)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await OpenIncidentAsync(node, dispatch, "before-restart")).StatusCode);

            await DropEveryConnectionAsync(database);
            foreach (var camera in cameras)
            {
                using var decision = await DecideAsync(node, operatorToken, camera);
                Assert.True(decision.StatusCode == HttpStatusCode.OK, $"{camera}: {(int)decision.StatusCode} {await decision.Content.ReadAsStringAsync()}");
            }

            // The pool fills again; a second restart then meets openings first, which read and write more than the ledger.
            var refused = await OpenUntilCreatedAsync(node, dispatch, ["refill-1", "refill-2", "refill-3"]);
            await DropEveryConnectionAsync(database);
            refused += await OpenUntilCreatedAsync(node, dispatch, ["after-restart-1", "after-restart-2", "after-restart-3"]);
            Assert.True(refused >= 1, "no opening met a dropped connection: the test no longer exercises the restart");
            using (var open = await node.SendAsync(HttpMethod.Get, "/api/v1/incidents?status=open", dispatch))
            {
                var listed = (await open.Content.ReadFromJsonAsync<JsonElement>(TestNode.Json)).GetProperty("items").EnumerateArray()
                    .Select(i => i.GetProperty("externalReference").GetString()).Order().ToList();
                Assert.Equal(["after-restart-1", "after-restart-2", "after-restart-3", "before-restart", "refill-1", "refill-2", "refill-3"], listed);
            }

            var auditor = await node.TokenAsync("control-jung", "privacy-officer", "auditor");
            using var verify = await node.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", auditor);
            var verified = (await verify.Content.ReadFromJsonAsync<ChainVerification>(TestNode.Json))!;
            Assert.True(verified.Intact, verified.Problem);
        }
        finally
        {
            await node.DisposeAsync();
            node.DeleteData();
            await using var pool = new NpgsqlConnection(pooled);
            NpgsqlConnection.ClearPool(pool); // the node's idle connections would keep the test database from being dropped
        }
    }

    private static async Task DropEveryConnectionAsync(TestDatabase database)
    {
        var dropped = await database.ScalarAsync("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()");
        Assert.True(dropped > 1, $"only {dropped} connection(s) of the node were open");
    }

    /// <summary>Opens one incident per reference as a dispatch system would, retrying on 503; returns how many attempts were refused.</summary>
    private static async Task<int> OpenUntilCreatedAsync(TestNode node, string token, IEnumerable<string> references)
    {
        var refused = 0;
        foreach (var reference in references)
            for (var attempt = 1; ; attempt++)
            {
                using var opened = await OpenIncidentAsync(node, token, reference);
                if (opened.StatusCode == HttpStatusCode.Created) break;
                await ProblemAssert.IsProblemAsync(opened, 503);
                Assert.NotNull(opened.Headers.RetryAfter);
                Assert.True(attempt < 5, $"incident {reference} still refused after {attempt} attempts");
                refused++;
            }
        return refused;
    }

    private static Task<HttpResponseMessage> DecideAsync(TestNode node, string token, string camera) =>
        node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/access?purpose=monitoring", token);

    private static Task<HttpResponseMessage> OpenIncidentAsync(TestNode node, string token, string reference) =>
        node.SendAsync(HttpMethod.Post, "/api/v1/incidents", token, JsonContent.Create(new
        {
            type = "112-emergency-video", latitude = 37.5663, longitude = 126.9779, priority = 1, externalReference = reference,
        }));
}
