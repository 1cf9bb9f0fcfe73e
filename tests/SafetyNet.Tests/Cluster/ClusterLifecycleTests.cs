using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SafetyNet.Tests.Cluster;

/// <summary>Three silos on PostgreSQL form a cluster, and everything survives a full cluster restart.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ClusterLifecycleTests
{
    [Fact]
    public async Task Three_silos_form_a_cluster_and_state_survives_a_full_restart()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        Assert.Equal(3, await cluster.Database.ScalarAsync("SELECT count(*) FROM OrleansMembershipTable WHERE Status = 3"));

        var node2 = cluster.Nodes[1];
        var admin = await node2.TokenAsync("safetynet-ops", "root", "platform-admin");
        node2.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using (var import = await node2.Http.PostAsync("/api/v1/cameras/import",
                   new StringContent("id,lat,lon,purpose,stream_url\ncluster-cam,37.5735,126.9790,traffic,rtsp://10.20.1.8/x\n", Encoding.UTF8, "text/csv")))
            Assert.Equal(1, (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());
        using (var policy = await node2.Http.PatchAsJsonAsync("/api/v1/districts/11010/sharing-policy",
                   new Dictionary<string, Dictionary<string, string>> { ["police-patrol"] = new() { ["traffic"] = "standing" } }))
            policy.EnsureSuccessStatusCode();
        var dispatcher = await cluster.Nodes[2].TokenAsync("seoul-112", "cad", "dispatch-system");
        using var open = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = JsonContent.Create(new { type = "112-dispatch", latitude = 37.5735, longitude = 126.9790 }) };
        open.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dispatcher);
        using var opened = await cluster.Nodes[2].Http.SendAsync(open);
        Assert.Equal(201, (int)opened.StatusCode);
        var incidentId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await ViewersOnEveryNodeShareOneRelayAsync(cluster);

        await cluster.RestartAllAsync();

        var reader = cluster.Nodes[0];
        var token = await reader.TokenAsync("safetynet-ops", "root", "platform-admin");
        reader.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal("11010", (await reader.Http.GetFromJsonAsync<JsonElement>("/api/v1/cameras/cluster-cam")).GetProperty("districtCode").GetString());
        var district = await reader.Http.GetFromJsonAsync<JsonElement>("/api/v1/districts/11010");
        Assert.Equal("standing", district.GetProperty("sharingPolicy").GetProperty("police-patrol").GetProperty("traffic").GetString());
        var incident = await reader.Http.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidentId}");
        Assert.Equal("open", incident.GetProperty("status").GetString());
        var seeded = (await reader.Http.GetFromJsonAsync<JsonElement>("/api/v1/districts")).EnumerateArray().Sum(d => d.GetProperty("cameraCount").GetInt32());
        Assert.Equal(3001, seeded);
        var auditor = await reader.TokenAsync("seoul-audit", "privacy", "auditor");
        reader.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", auditor);
        Assert.True((await reader.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify")).GetProperty("intact").GetBoolean());
    }

    /// <summary>A lease taken on one node plays through every node (others redirect to the relay's node), from one ffmpeg.</summary>
    private static async Task ViewersOnEveryNodeShareOneRelayAsync(LocalCluster cluster)
    {
        var first = cluster.Nodes[0];
        var token = await first.TokenAsync("seoul-112", "video-operator", "operator");
        using var sessionRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sessions");
        sessionRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var session = await first.Http.SendAsync(sessionRequest);
        var sessionToken = (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();

        using var nearbyRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&radius=2000&limit=1&purpose=crime-prevention&status=online");
        nearbyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sessionToken);
        using var nearby = await first.Http.SendAsync(nearbyRequest);
        var camera = (await nearby.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].GetProperty("id").GetString()!;

        using var leaseRequest = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cameras/{camera}/leases") { Content = JsonContent.Create(new { purpose = "monitoring" }) };
        leaseRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sessionToken);
        using var leaseResponse = await first.Http.SendAsync(leaseRequest);
        Assert.Equal(201, (int)leaseResponse.StatusCode);
        var playlist = new Uri((await leaseResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("playlistUrl").GetString()!);

        foreach (var node in cluster.Nodes)
            await Infrastructure.Eventually.WaitAsync(async () =>
            {
                using var response = await node.Http.GetAsync(playlist.PathAndQuery);
                return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : "";
            }, text => text.Contains(".ts"), TimeSpan.FromSeconds(30), $"the playlist through node {node.Index}");
        Assert.Single(Infrastructure.RelayProcessScan.For(camera));
    }
}

/// <summary>
/// Node processes on PostgreSQL, one test at a time: each test has a database of its own, so the collection runs beside the
/// others. It used to run alone after them (4.8 minutes at the end of a 14-minute run); started first, beside the browser
/// collection, the whole run takes about 12.5 minutes.
/// </summary>
[CollectionDefinition(Name), Infrastructure.StartsFirst]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
