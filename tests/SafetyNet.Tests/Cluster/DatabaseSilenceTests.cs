using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using SafetyNet.Contracts.Audit;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// The database goes silent under a running node (its network drops packets, or the server hangs): nothing is refused,
/// nothing answers. A 112 operator's decision must still get an answer it can act on, soon: a 503 with Retry-After, not a
/// request that hangs for the driver's and the cluster's timeouts (about 30 s each) and then a 500. The node stays in the
/// load balancer (ready, degraded), and when the network comes back the same requests succeed without anyone restarting
/// anything, with every allowed decision in an intact ledger and no refused one in it.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class DatabaseSilenceTests
{
    /// <summary>A bound, not a measurement: the old node took over 30 s and fails it; this one answers after about one write timeout (1 s here).</summary>
    private static readonly TimeSpan PromptAnswer = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_silent_database_gets_prompt_503s_keeps_the_node_ready_and_decisions_resume_when_it_answers_again()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (network, node) = await StartThroughRelayAsync(database);
        await using var _ = network;
        try
        {
            var (session, operatorToken) = await node.SessionAsync("seoul-112", "kim");
            var cameras = Enumerable.Range(1, 3).Select(i => $"11020-{i:D5}").ToList();
            foreach (var camera in cameras) Assert.Equal(HttpStatusCode.OK, await DecideAsync(node, operatorToken, camera));
            var allowed = cameras.Count;
            var (heartbeatSession, heartbeatToken) = await node.SessionAsync("seoul-112", "lee");
            var (_, earlyToken) = await node.SessionAsync("seoul-112", "park");
            var auditor = await node.TokenAsync("control-jung", "privacy-officer", "auditor");

            network.Silence();
            // Sent before the node knows of the silence: a heartbeat, whose state write hangs (every call to that session
            // queues behind it), and a decision on a camera no one has opened, whose activation's state read hangs. Before,
            // each held its caller for the cluster's 30 s call timeout; now both are let go when the ledger finds out.
            var heartbeat = node.SendAsync(HttpMethod.Post, $"/api/v1/sessions/{heartbeatSession}/heartbeat", heartbeatToken);
            var early = node.SendAsync(HttpMethod.Get, Access("11150-00003"), earlyToken);
            foreach (var camera in cameras)
            {
                using var refused = await node.SendAsync(HttpMethod.Get, Access(camera), operatorToken).WaitAsync(PromptAnswer);
                Assert.Contains("cannot reach its database", await ProblemAssert.IsProblemAsync(refused, 503));
                Assert.NotNull(refused.Headers.RetryAfter);
            }
            using (var hung = await heartbeat.WaitAsync(PromptAnswer))
                Assert.Contains("cannot reach its database", await ProblemAssert.IsProblemAsync(hung, 503));
            using (var hung = await early.WaitAsync(PromptAnswer))
                Assert.Contains("cannot reach its database", await ProblemAssert.IsProblemAsync(hung, 503));
            using (var behind = await node.SendAsync(HttpMethod.Get, Access(cameras[0]), heartbeatToken).WaitAsync(PromptAnswer))
                Assert.Contains("cannot reach its database", await ProblemAssert.IsProblemAsync(behind, 503));

            // What needs grain state is refused as promptly once the node knows: a camera no one has opened since the node
            // started (its grain is activated, and reads its state), and a 112 incident opened during the silence. Before,
            // each waited out the driver's connect timeout (15 s) and the cluster's call timeout.
            using (var unopened = await node.SendAsync(HttpMethod.Get, Access("11140-00007"), operatorToken).WaitAsync(PromptAnswer))
                Assert.Contains("cannot reach its database", await ProblemAssert.IsProblemAsync(unopened, 503));
            using (var incident = await OpenIncidentAsync(node, operatorToken).WaitAsync(PromptAnswer))
                Assert.Contains("cannot reach its database", await ProblemAssert.IsProblemAsync(incident, 503));
            // And what reads the database's own rows rather than grain state: an auditor's ledger search and misuse flags.
            foreach (var read in new[] { "/api/v1/audit/?pageSize=10", "/api/v1/audit/flags/" })
            {
                using var refused = await node.SendAsync(HttpMethod.Get, read, auditor).WaitAsync(PromptAnswer);
                Assert.Contains("cannot reach its database", await ProblemAssert.IsProblemAsync(refused, 503));
            }
            var silent = await node.ReadinessAsync().WaitAsync(PromptAnswer);
            Assert.Equal((HttpStatusCode.OK, "Degraded", "unreachable"), (silent.Code, silent.Report, silent.Data.GetProperty("database").GetString()));

            network.Speak();
            await Eventually.WaitAsync(() => DecideAsync(node, operatorToken, cameras[0]), status => status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30), "a decision to be allowed again");
            allowed++;
            foreach (var camera in cameras.Skip(1)) Assert.Equal(HttpStatusCode.OK, await DecideAsync(node, operatorToken, camera));
            allowed += cameras.Count - 1;
            Assert.Equal(HttpStatusCode.OK, await DecideAsync(node, operatorToken, "11140-00007"));
            allowed++;
            await Eventually.WaitAsync(node.ReadinessAsync, ready => ready.Report == "Healthy", TimeSpan.FromSeconds(30), "the node to be healthy again");

            var verified = await node.VerifyLedgerAsync(auditor);
            Assert.True(verified.Intact, verified.Problem);
            Assert.Equal(allowed, await database.ScalarAsync($"SELECT count(*) FROM audit_ledger WHERE kind = 'access-decision' AND session_id = '{session}'"));
        }
        finally
        {
            network.Speak(); // a node leaving the cluster writes to the database
            await node.DisposeAsync();
            node.DeleteData();
        }
    }

    [Fact]
    public async Task On_a_node_with_no_audited_action_under_way_the_silence_is_found_by_a_request_or_by_readiness_probes()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (network, node) = await StartThroughRelayAsync(database);
        await using var _ = network;
        try
        {
            var (_, operatorToken) = await node.SessionAsync("seoul-112", "kim");
            var auditor = await node.TokenAsync("control-jung", "privacy-officer", "auditor");

            // Nothing else is asked of the node: only the opening's own wait (its incident's state read) can make it check.
            network.Silence();
            using (var refused = await OpenIncidentAsync(node, operatorToken).WaitAsync(PromptAnswer))
                Assert.Contains("cannot reach its database", await ProblemAssert.IsProblemAsync(refused, 503));

            network.Speak();
            await Eventually.WaitAsync(async () =>
            {
                using var opened = await OpenIncidentAsync(node, operatorToken);
                return opened.StatusCode;
            }, status => status == HttpStatusCode.Created, TimeSpan.FromSeconds(30), "an incident to be opened again");

            // And again the next time, for a read of the database's own rows (an auditor's misuse flags, no grain state): the
            // node can ask for a probe after an outage as it could before the first.
            network.Silence();
            using (var refused = await node.SendAsync(HttpMethod.Get, "/api/v1/audit/flags/", auditor).WaitAsync(PromptAnswer))
                Assert.Contains("cannot reach its database", await ProblemAssert.IsProblemAsync(refused, 503));

            // A third silence with no request at all: the load balancer's readiness probes alone make the node find out (the
            // ledger, not only the probe, names the outage), so the first operator to ask afterwards is refused at once.
            network.Speak();
            await Eventually.WaitAsync(node.ReadinessAsync, ready => ready.Report == "Healthy", TimeSpan.FromSeconds(30), "the node to be healthy again");
            network.Silence();
            var known = await Eventually.WaitAsync(node.ReadinessAsync, ready => ready.Description.Contains("the audit ledger has not reached the database"),
                TimeSpan.FromSeconds(30), "the ledger to learn of the outage from readiness probes");
            Assert.Equal("Degraded", known.Report);
            using (var refused = await OpenIncidentAsync(node, operatorToken).WaitAsync(PromptAnswer))
                Assert.Contains("cannot reach its database", await ProblemAssert.IsProblemAsync(refused, 503));
        }
        finally
        {
            network.Speak();
            await node.DisposeAsync();
            node.DeleteData();
        }
    }

    [Fact]
    public async Task A_refusal_raised_across_silos_reaches_the_operator_as_a_prompt_503()
    {
        SilencingRelay? relay = null;
        // A write timeout of 3 s, not 1 s: two node processes starting beside the browser tests once took longer than 1 s for
        // the session's first writes on a CI run, and the node rightly took that for an outage. Still well within PromptAnswer.
        await using var cluster = await LocalCluster.StartAsync(2, new Dictionary<string, string>
        {
            ["Audit__Ledger__WriteTimeout"] = "00:00:03",
            ["Audit__Ledger__ReconnectInterval"] = "00:00:00.500",
            ["Leases__PrewarmCount"] = "0",
        }, connectionString =>
        {
            (relay, var throughRelay) = SilencingRelay.InFrontOf(connectionString);
            return throughRelay;
        });
        var network = relay!;
        await using var _ = network;
        var (entry, other) = (cluster.Nodes[0], cluster.Nodes[1]);
        try
        {
            // The operator's session is started through the other node, so it lives there (sessions are placed where they are
            // started), and every decision asked of the entry node goes through that silo: whichever silo a camera is
            // activated on, its refusal crosses from one silo to the other before the entry node answers.
            var (_, operatorToken) = await other.Http.SessionAsync("seoul-112", "kim");
            Assert.Equal(HttpStatusCode.OK, await DecideAsync(entry, operatorToken, "11020-00001"));
            var unopened = Enumerable.Range(1, 12).Select(i => $"11{110 + i * 10}-{i:D5}").ToList();

            network.Silence();
            var decisions = unopened.Select(camera => entry.Http.SendAsync(Get(Access(camera), operatorToken))).ToList();
            foreach (var decision in decisions)
            {
                using var refused = await decision.WaitAsync(PromptAnswer);
                Assert.Contains("cannot reach its database", await ProblemAssert.IsProblemAsync(refused, 503));
                Assert.NotNull(refused.Headers.RetryAfter);
            }

            // Twelve refused activations, on whichever silos: a node's log has the first, with a note that more are left out.
            foreach (var node in cluster.Nodes) Assert.True(node.Log.Split("Error activating grain").Length <= 2, node.Log);
            Assert.Contains(cluster.Nodes, node => node.Log.Contains("Error activating grain") && node.Log.Contains("logged at most once every"));
            // What an on-call engineer's alert reads: a node that knows of the outage says for how long, and counts what it refused.
            var during = await Task.WhenAll(cluster.Nodes.Select(node => node.Http.GetStringAsync("/metrics")));
            Assert.Contains(during, metrics => Sample(metrics, "safetynet_database_unreachable_duration_seconds") > 0
                                               && Sample(metrics, "safetynet_database_refused_total") > 0);

            network.Speak();
            await Eventually.WaitAsync(() => DecideAsync(entry, operatorToken, unopened[0]), status => status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30), "a decision to be allowed again");
            foreach (var camera in unopened.Skip(1)) Assert.Equal(HttpStatusCode.OK, await DecideAsync(entry, operatorToken, camera));
            foreach (var node in cluster.Nodes)
                await Eventually.WaitAsync(() => node.Http.GetStringAsync("/metrics"), metrics => Sample(metrics, "safetynet_database_unreachable_duration_seconds") == 0,
                    TimeSpan.FromSeconds(30), $"node {node.Index} to report its database reachable");
            var auditor = await other.TokenAsync("control-jung", "privacy-officer", "auditor");
            using var verify = await other.Http.SendAsync(Get("/api/v1/audit/verify", auditor));
            var verified = await verify.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<ChainVerification>(TestNode.Json);
            Assert.True(verified!.Intact, verified.Problem);
        }
        finally
        {
            network.Speak(); // a node leaving the cluster writes to the database
        }
    }

    /// <summary>A node on <paramref name="database"/> through a relay that can go silent; a write timeout of 1 s.</summary>
    private static async Task<(SilencingRelay Network, TestNode Node)> StartThroughRelayAsync(TestDatabase database)
    {
        var (network, throughRelay) = SilencingRelay.InFrontOf(database.PooledConnectionString);
        var node = await TestNode.StartAsync(cameras: 2000, extra: TestNode.OnPostgres(throughRelay, "silence-test", new()
        {
            ["Audit:Ledger:WriteTimeout"] = "00:00:01",
            ["Audit:Ledger:ReconnectInterval"] = "00:00:00.500",
        }));
        return (network, node);
    }

    private static Task<HttpResponseMessage> OpenIncidentAsync(TestNode node, string token) =>
        node.SendAsync(HttpMethod.Post, "/api/v1/incidents", token, JsonContent.Create(new
        {
            type = "112-dispatch", latitude = 37.5663, longitude = 126.9779, priority = 2, justification = "opened while the database is silent",
        }));

    private static string Access(string camera) => $"/api/v1/cameras/{camera}/access?purpose=monitoring";

    private static async Task<HttpStatusCode> DecideAsync(TestNode node, string token, string camera)
    {
        using var decision = await node.SendAsync(HttpMethod.Get, Access(camera), token);
        return decision.StatusCode;
    }

    private static async Task<HttpStatusCode> DecideAsync(NodeProcess node, string token, string camera)
    {
        using var decision = await node.Http.SendAsync(Get(Access(camera), token));
        return decision.StatusCode;
    }

    /// <summary>The largest value of a metric's samples in a Prometheus scrape; -1 when it has none.</summary>
    private static double Sample(string scrape, string metric) => Regex.Matches(scrape, $@"^{metric}(?:\{{[^}}]*\}})? (\S+)", RegexOptions.Multiline)
        .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max();

    private static HttpRequestMessage Get(string path, string token) =>
        new(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
}
