using System.Net;
using System.Net.Http.Json;
using SafetyNet.Tests.Incidents;
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
        var node = await TestNode.StartAsync(cameras: 2000, extra: TestNode.OnPostgres(database.PooledConnectionString, "restart-test"));
        try
        {
            var (_, operatorToken) = await node.SessionAsync("seoul-112", "kim");
            var dispatch = await node.TokenAsync("seoul-112", "cad", "dispatch-system");
            var cameras = Enumerable.Range(1, 5).Select(i => $"11020-{i:D5}").ToList();
            await DecideOnEachAsync(node, operatorToken, cameras);
            await node.OpenIncidentAsync(dispatch, Incident("before-restart"));

            await DropEveryConnectionAsync(database);
            await DecideOnEachAsync(node, operatorToken, cameras);

            // The pool fills again; a second restart then meets openings first, which read and write more than the ledger.
            var refused = await OpenUntilCreatedAsync(node, dispatch, ["refill-1", "refill-2", "refill-3"]);
            await DropEveryConnectionAsync(database);
            refused += await OpenUntilCreatedAsync(node, dispatch, ["after-restart-1", "after-restart-2", "after-restart-3"]);
            Assert.True(refused >= 1, "no opening met a dropped connection: the test no longer exercises the restart");
            var listed = (await node.GetJsonAsync("/api/v1/incidents?status=open", dispatch)).GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("externalReference").GetString()).Order().ToList();
            Assert.Equal(["after-restart-1", "after-restart-2", "after-restart-3", "before-restart", "refill-1", "refill-2", "refill-3"], listed);

            var auditor = await node.TokenAsync("control-jung", "privacy-officer", "auditor");
            var verified = await node.VerifyLedgerAsync(auditor);
            Assert.True(verified.Intact, verified.Problem);
        }
        finally
        {
            await node.DisposeAsync();
            node.DeleteData();
        }
    }

    private static async Task DropEveryConnectionAsync(TestDatabase database)
    {
        var dropped = await database.DropConnectionsAsync();
        Assert.True(dropped > 1, $"only {dropped} connection(s) of the node were open");
    }

    private static async Task DecideOnEachAsync(TestNode node, string token, IEnumerable<string> cameras)
    {
        foreach (var camera in cameras)
        {
            using var decision = await node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/access?purpose=monitoring", token);
            Assert.True(decision.StatusCode == HttpStatusCode.OK, $"{camera}: {(int)decision.StatusCode} {await decision.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Opens one incident per reference as a dispatch system would: on 503 it waits the Retry-After the node asked for, then
    /// sends again. Returns how many attempts were refused. A refusal can outlast the dropped connection itself: the ledger
    /// that meets it refuses audited actions until its writer has connected again, which a dead pooled connection can
    /// put off by one reconnect interval. An opening still refused after <see cref="MaxAttempts"/> waits fails the test.
    /// </summary>
    private static async Task<int> OpenUntilCreatedAsync(TestNode node, string token, IEnumerable<string> references)
    {
        var refused = 0;
        foreach (var reference in references)
            for (var attempt = 1; ; attempt++)
            {
                using var opened = await node.SendAsync(HttpMethod.Post, "/api/v1/incidents", token, JsonContent.Create(Incident(reference)));
                if (opened.StatusCode == HttpStatusCode.Created) break;
                await ProblemAssert.IsProblemAsync(opened, 503);
                var retryAfter = opened.Headers.RetryAfter?.Delta;
                Assert.NotNull(retryAfter);
                Assert.True(attempt < MaxAttempts, $"incident {reference} still refused after {attempt} attempts, each after the Retry-After asked for");
                refused++;
                await Task.Delay(retryAfter.Value);
            }
        return refused;
    }

    private const int MaxAttempts = 6;

    private static object Incident(string reference) =>
        new { type = "112-emergency-video", latitude = 37.5663, longitude = 126.9779, priority = 1, externalReference = reference };
}
