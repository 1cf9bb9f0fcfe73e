using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Grains.Demo;
using SafetyNet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// kill -9 one of three silos — the one hosting the dashboard node registry, and with it some agencies' event sequencers —
/// while dispatch systems open incidents and operators ask for access: every acknowledged write is still there afterwards,
/// dashboards on survivors keep receiving events, a dashboard of every agency misses no incident (after its automatic
/// resync its open incidents are the directory's), and the dead silo's reminders fire.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> ShortLivedSos = new()
    {
        ["Incidents__Types__vulnerable-sos__MaxDuration"] = "00:00:15",
        ["Incidents__ClosingGrace"] = "00:00:02",
        ["Incidents__WatchdogPeriod"] = "00:00:05",
        // Pre-warming would start ffmpeg encoders for every incident of the load; this test is about state, not video.
        ["Leases__PrewarmCount"] = "0",
        // Leases taken under load must still be live when the test renews them after the failover.
        ["Leases__Lifetime"] = "00:10:00",
        // Where the registry and the sequencers live is read from the nodes' logs.
        ["Logging__LogLevel__SafetyNet.Grains.Notifications"] = "Information",
    };

    private const string RegistryActive = "The dashboard node registry is active on this silo";

    [Fact]
    public async Task Killing_a_silo_under_load_loses_no_acknowledged_write()
    {
        await using var cluster = await LocalCluster.StartAsync(3, ShortLivedSos);
        var victim = (await Eventually.WaitAsync(() => Task.FromResult(cluster.Nodes.FirstOrDefault(n => n.Log.Contains(RegistryActive))), n => n is not null,
            TimeSpan.FromSeconds(60), "the dashboard node registry to be activated on some silo"))!;
        var survivors = cluster.Nodes.Where(n => n != victim).ToArray();
        var (survivor1, survivor2) = (survivors[0], survivors[1]);
        output.WriteLine($"killing node {victim.Index}, which hosts the dashboard node registry");
        // Dashboards on the victim too, subscribed first: their node's heartbeat requests are the first calls to the agencies'
        // sequencers, so some of those start there and die with it.
        var doomed = new List<IncidentWatcher>();
        foreach (var agency in WatchedAgencies) doomed.Add(await IncidentWatcher.StartAsync(victim.BaseUrl, agency, await victim.TokenAsync(agency, "doomed-wall", "operator")));
        await Eventually.WaitAsync(() => Task.FromResult(WatchedAgencies.Count(a => victim.Log.Contains($"Events of {EventStreams.Agency(a)} are numbered"))), n => n > 0,
            TimeSpan.FromSeconds(30), "some agency's sequencer to start on the victim");
        var watchers = new List<IncidentWatcher>();
        foreach (var (agency, i) in WatchedAgencies.Select((a, i) => (a, i)))
        {
            // Each agency on a console (whole views) and on a wall screen (batched cards), on different survivors.
            var node = survivors[i % 2];
            watchers.Add(await IncidentWatcher.StartAsync(node.BaseUrl, agency, await node.TokenAsync(agency, "console", "operator")));
            var other = survivors[(i + 1) % 2];
            watchers.Add(await IncidentWatcher.StartAsync(other.BaseUrl, agency, await other.TokenAsync(agency, "wall", "operator"), wall: true));
        }
        var dispatch = await survivor1.TokenAsync("seoul-112", "cad", "dispatch-system");
        var sosDispatch = await survivor1.TokenAsync("seoul-sos-center", "sos-app", "dispatch-system");

        var operatorToken = await survivor1.TokenAsync("seoul-112", "board", "operator");
        await using var board = new HubConnectionBuilder()
            .WithUrl($"{survivor1.BaseUrl}/hubs/operations", o => o.AccessTokenProvider = () => Task.FromResult<string?>(operatorToken))
            .Build();
        var seen = new ConcurrentDictionary<string, bool>();
        board.On<JsonElement>("incidentOpened", p => seen[p.GetProperty("id").GetString()!] = true);
        await board.StartAsync();
        await board.InvokeAsync<JsonElement>("SubscribeIncidents");

        var sosIds = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var (status, body) = await PostAsync(i % 2 == 0 ? survivor1 : survivor2, "/api/v1/incidents", sosDispatch,
                new { type = "vulnerable-sos", latitude = 37.50 + i * 0.02, longitude = 126.95 + i * 0.02 });
            Assert.Equal(201, status);
            sosIds.Add(body.GetProperty("id").GetString()!);
        }

        var sessions = new List<(string Id, string Token, NodeProcess Node)>();
        foreach (var (node, i) in new[] { survivor1, survivor2 }.Select((n, i) => (n, i)))
        {
            var token = await node.TokenAsync("seoul-112", $"officer-{i}", "operator");
            var (status, body) = await PostAsync(node, "/api/v1/sessions", token, new { });
            Assert.Equal(201, status);
            sessions.Add((body.GetProperty("sessionId").GetString()!, body.GetProperty("accessToken").GetString()!, node));
        }

        // A few cameras the second officer may watch on standing policy: the load takes leases on them (a relay each).
        var watchable = new List<string>();
        var candidates = new Random(99);
        while (watchable.Count < 3)
        {
            var camera = DemoCamera(candidates);
            var (status, decision) = await GetAsync(sessions[1].Node, $"/api/v1/cameras/{camera}/access", sessions[1].Token);
            if (status == 200 && decision.GetProperty("allowed").GetBoolean() && !watchable.Contains(camera)) watchable.Add(camera);
        }

        var ackedIncidents = new ConcurrentBag<string>();
        var ackedLeases = new ConcurrentDictionary<string, string>();
        var ackedDecisions = new ConcurrentDictionary<string, int>();
        var failures = 0;
        var load = Stopwatch.StartNew();
        var killedAt = TimeSpan.Zero;
        TimeSpan? firstServedAfterKill = null;
        string[] sequencedOnVictim = [];
        var killer = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            sequencedOnVictim = WatchedAgencies.Where(a => victim.Log.Contains($"Events of {EventStreams.Agency(a)} are numbered")).ToArray();
            victim.Kill();
            killedAt = load.Elapsed;
        });
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var node = w % 2 == 0 ? survivor1 : survivor2;
            var random = new Random(w);
            // 25 s of load, stretched (to at most 60 s) on a slow machine until enough incidents were acknowledged to compare.
            for (var n = 0; (load.Elapsed < TimeSpan.FromSeconds(25) || (ackedIncidents.Count < 3 && load.Elapsed < TimeSpan.FromSeconds(60))) && n < 400; n++)
            {
                try
                {
                    if (w < 2)
                    {
                        var (status, body) = await PostAsync(node, "/api/v1/incidents", dispatch, new
                        {
                            type = "112-emergency-video", latitude = 37.48 + random.NextDouble() * 0.15, longitude = 126.90 + random.NextDouble() * 0.2,
                            externalReference = $"load-{w}-{n}",
                        });
                        if (status is 200 or 201) ackedIncidents.Add(body.GetProperty("id").GetString()!);
                        else Interlocked.Increment(ref failures);
                    }
                    else if (w == 3 && n % 4 == 0)
                    {
                        var session = sessions[1];
                        var camera = watchable[n / 4 % watchable.Count];
                        var (status, body) = await PostAsync(session.Node, $"/api/v1/cameras/{camera}/leases", session.Token, new { purpose = "monitoring" });
                        if (status == 201) ackedLeases[body.GetProperty("leaseId").GetString()!] = camera;
                        else Interlocked.Increment(ref failures);
                    }
                    else
                    {
                        var session = sessions[w - 2];
                        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cameras/{DemoCamera(random)}/access");
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
                        using var response = await session.Node.Http.SendAsync(request);
                        if (response.IsSuccessStatusCode) ackedDecisions.AddOrUpdate(session.Id, 1, (_, c) => c + 1);
                        else Interlocked.Increment(ref failures);
                    }
                    if (killedAt > TimeSpan.Zero && firstServedAfterKill is null) firstServedAfterKill = load.Elapsed - killedAt;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers.Append(killer));
        output.WriteLine($"acknowledged: {ackedIncidents.Count} incidents, {ackedDecisions.Values.Sum()} decisions, {ackedLeases.Count} leases; unacknowledged attempts: {failures}; " +
                         $"first request served {firstServedAfterKill?.TotalMilliseconds:F0} ms after the kill");
        Assert.True(ackedIncidents.Count >= 3 && ackedDecisions.Values.Sum() >= 3 && ackedLeases.Count >= 1, "the load must have produced acknowledged writes");

        // Every acknowledged incident is readable from a survivor once the dead silo has been declared dead.
        var admin = await survivor2.TokenAsync("safetynet-ops", "root", "platform-admin");
        foreach (var id in ackedIncidents)
            await Eventually.WaitAsync(async () => (await GetAsync(survivor2, $"/api/v1/incidents/{id}", admin)).Status, s => s == 200,
                TimeSpan.FromSeconds(60), $"acknowledged incident {id} to be readable after the kill");
        foreach (var (session, count) in ackedDecisions)
            Assert.True(await cluster.Database.ScalarAsync($"SELECT count(*) FROM audit_ledger WHERE kind = 'access-decision' AND session_id = '{session}'") >= count,
                $"session {session}: {count} acknowledged decisions must all be in the audit ledger");

        // Every acknowledged lease is still held (renewable) and audited, and its camera's relay serves video again: if
        // the dead silo ran it, the renewal places it on a survivor.
        Assert.True(await cluster.Database.ScalarAsync($"SELECT count(*) FROM audit_ledger WHERE kind = 'lease' AND session_id = '{sessions[1].Id}'") >= ackedLeases.Count,
            $"{ackedLeases.Count} acknowledged leases must all be in the audit ledger");
        foreach (var (leaseId, camera) in ackedLeases)
        {
            var renewed = await Eventually.WaitAsync(async () => await PostAsync(survivor2, $"/api/v1/leases/{leaseId}/renew", sessions[1].Token, new { }),
                r => r.Status != 503, TimeSpan.FromSeconds(60), $"lease {leaseId} to be renewable after the kill");
            Assert.True(renewed.Status == 200, $"acknowledged lease {leaseId} on {camera} was lost: {renewed.Status} {renewed.Body}");
            var playlist = renewed.Body.GetProperty("playlistUrl").GetString()!;
            await Eventually.WaitAsync(async () => await PlaylistAsync(playlist), text => text.StartsWith("#EXTM3U", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), $"camera {camera}'s relay to serve a playlist after the kill");
        }

        // Dashboards on a survivor keep receiving events.
        var (afterStatus, after) = await PostAsync(survivor2, "/api/v1/incidents", dispatch, new { type = "112-emergency-video", latitude = 37.5663, longitude = 126.9779 });
        Assert.Equal(201, afterStatus);
        await Eventually.WaitAsync(() => Task.FromResult(seen.ContainsKey(after.GetProperty("id").GetString()!)), s => s, TimeSpan.FromSeconds(30),
            "the survivor's dashboard to receive an incident opened after the kill");

        // No dashboard missed state: every agency's watcher (events, plus its automatic resync on a gap or a new epoch) lists
        // what the directory lists. Those whose sequencer died with the victim saw its successor's new epoch and resynced.
        output.WriteLine($"sequencers on the killed silo: {string.Join(", ", sequencedOnVictim)}");
        Assert.NotEmpty(sequencedOnVictim);
        foreach (var watcher in watchers)
        {
            if (sequencedOnVictim.Contains(watcher.AgencyId))
                await Eventually.WaitAsync(() => Task.FromResult(watcher.Resyncs), r => r > 0, TimeSpan.FromSeconds(60),
                    $"{watcher.AgencyId}'s dashboard to resync after its sequencer died");
            var directory = await Eventually.WaitAsync(async () => (Listed: await watcher.DirectoryAsync(), Seen: watcher.Open),
                v => !watcher.Resyncing && v.Listed.SetEquals(v.Seen), TimeSpan.FromSeconds(60), $"{watcher.AgencyId}'s dashboard to list the directory's open incidents");
            output.WriteLine($"{watcher.AgencyId}: {directory.Listed.Count} open incidents, {watcher.Resyncs} resyncs");
        }
        Assert.Contains(watchers, w => w.Open.Contains(after.GetProperty("id").GetString()!));
        await Task.WhenAll(watchers.Concat(doomed).Select(w => w.DisposeAsync().AsTask()));

        // The forgotten SOS incidents are closed by their watchdog reminders, including those the dead silo held, and the
        // incident list says so too.
        foreach (var id in sosIds)
            await Eventually.WaitAsync(async () => (await GetAsync(survivor1, $"/api/v1/incidents/{id}", admin)).Body,
                incident => incident.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && status.GetString() == "closed",
                TimeSpan.FromSeconds(120), $"SOS incident {id} to be closed by its watchdog reminder");
        await Eventually.WaitAsync(async () => (await GetAsync(survivor1, "/api/v1/incidents?status=closed&type=vulnerable-sos&pageSize=100", admin)).Body,
            list => list.TryGetProperty("items", out var items) && sosIds.All(id => items.EnumerateArray().Any(i => i.GetProperty("id").GetString() == id)),
            TimeSpan.FromSeconds(60), "every closed SOS incident to be listed as closed");
        Assert.True((await GetAsync(survivor1, "/api/v1/audit/verify", await survivor1.TokenAsync("seoul-audit", "privacy", "auditor"))).Body.GetProperty("intact").GetBoolean());
    }

    /// <summary>Every agency a 112 emergency-video or SOS incident of the load goes to: the city rooms and the district police stations.</summary>
    private static readonly string[] WatchedAgencies = ["seoul-112", "seoul-sos-center",
        .. DemoAgencies.Seoul.Where(a => a.Kind == AgencyKind.PoliceStation).Select(a => a.Id)];

    private static string DemoCamera(Random random)
    {
        var district = 11010 + random.Next(25) * 10;
        return $"{district}-{random.Next(1, 40):D5}";
    }

    private static async Task<(int Status, JsonElement Body)> PostAsync(NodeProcess node, string path, string token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await node.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement : default);
    }

    private static async Task<string> PlaylistAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : $"{(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return e.Message;
        }
    }

    private static async Task<(int Status, JsonElement Body)> GetAsync(NodeProcess node, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await node.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement : default);
    }
}
