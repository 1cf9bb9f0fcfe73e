using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Grains.Reference;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// An on-call engineer's rolling restart, one node of two told to stop (SIGTERM) while a 112 operator's console works
/// through it: the node says at once that it is not ready, so that a load balancer takes it out, and goes on answering
/// what is still routed to it (decisions, an incident opened) until the drain ends; then it leaves the cluster
/// gracefully, and the other node serves the same cameras and the incident opened during the drain. Consoles deciding on
/// the other node all through the stop are never refused, though the leaving node held some of their grains.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ShutdownDrainTests
{
    /// <summary>Long enough for the requests below on a busy CI machine; the test waits for the node's own exit, not for this.</summary>
    private const string DrainDelay = "00:00:15";

    [Fact]
    public async Task A_node_told_to_stop_reports_not_ready_and_answers_until_the_load_balancer_has_taken_it_out()
    {
        await using var cluster = await LocalCluster.StartAsync(2, new Dictionary<string, string>
        {
            ["Shutdown__DrainDelay"] = DrainDelay,
            ["Logging__LogLevel__SafetyNet.Silo.Hosting.ShutdownDrain"] = "Information",
        });
        var (staying, leaving) = (cluster.Nodes[0], cluster.Nodes[1]);
        var (_, token) = await leaving.Http.SessionAsync("seoul-112", "drain-console");
        var cameras = SeoulDistricts.All.Take(8).Select(d => $"{d.Code}-00001").ToArray();
        foreach (var camera in cameras) Assert.Equal(HttpStatusCode.OK, await DecideAsync(leaving, token, camera));

        // Consoles on the staying node go on deciding all through the stop, their sessions begun on either node: those begun on
        // the leaving one, and the cameras and districts it holds, move to the staying node as it leaves.
        var consoles = new[] { token, (await leaving.Http.SessionAsync("seoul-112", "drain-console-2")).Token,
            (await staying.Http.SessionAsync("seoul-112", "drain-console-3")).Token };
        using var stopConsoles = new CancellationTokenSource();
        var throughTheStop = consoles.Select(console => DecideUntilAsync(staying, console, stopConsoles.Token)).ToArray();

        await leaving.TerminateAsync();
        var stopping = await Eventually.WaitAsync(() => ReadinessAsync(leaving), r => r.Status == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(15), "the leaving node to report itself not ready");
        Assert.Contains("stopping", stopping.Description);
        using (var live = await leaving.Http.GetAsync("/health/live")) Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        // What a load balancer still routes to it before its probes take it out is answered, not refused.
        foreach (var camera in cameras) Assert.Equal(HttpStatusCode.OK, await DecideAsync(leaving, token, camera));
        using var opened = await leaving.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
            Content = JsonContent.Create(new { type = "112-dispatch", latitude = 37.5663, longitude = 126.9779, priority = 2, justification = "opened during a drain" }),
        });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var incidentId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Null(leaving.ExitCode); // still draining: every answer above came from a node the load balancer was taking out

        await leaving.WaitExitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(0, leaving.ExitCode);
        Assert.Contains("reporting not ready and answering for", leaving.Log);

        // It left the membership itself (no death to be declared), and the same console goes on through the other node.
        await Eventually.WaitAsync(() => ReadinessAsync(staying), r => r.Status == HttpStatusCode.OK && r.ActiveSilos == 1,
            TimeSpan.FromSeconds(30), "the staying node to count one active silo");
        await stopConsoles.CancelAsync();
        var answers = (await Task.WhenAll(throughTheStop)).SelectMany(statuses => statuses).ToList();
        Assert.NotEmpty(answers);
        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status)); // none refused as the node left
        foreach (var camera in cameras) Assert.Equal(HttpStatusCode.OK, await DecideAsync(staying, token, camera));
        using var incident = await staying.Http.SendAsync(Get($"/api/v1/incidents/{incidentId}", token));
        Assert.Equal(HttpStatusCode.OK, incident.StatusCode);
    }

    /// <summary>One decision after another on the demo cameras, each district's first ten, until told to stop; every answer's status.</summary>
    private static async Task<List<HttpStatusCode>> DecideUntilAsync(NodeProcess node, string token, CancellationToken stop)
    {
        var cameras = SeoulDistricts.All.SelectMany(d => Enumerable.Range(1, 10).Select(n => $"{d.Code}-{n:D5}")).ToArray();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; !stop.IsCancellationRequested; i++) statuses.Add(await DecideAsync(node, token, cameras[i % cameras.Length]));
        return statuses;
    }

    private static async Task<HttpStatusCode> DecideAsync(NodeProcess node, string token, string camera)
    {
        using var decision = await node.Http.SendAsync(Get($"/api/v1/cameras/{camera}/access?purpose=monitoring", token));
        return decision.StatusCode;
    }

    private static async Task<(HttpStatusCode Status, string Description, int ActiveSilos)> ReadinessAsync(NodeProcess node)
    {
        using var response = await node.Http.GetAsync("/health/ready");
        var check = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("cluster-and-database");
        return (response.StatusCode, check.GetProperty("description").GetString()!, check.GetProperty("data").GetProperty("activeSilos").GetInt32());
    }

    private static HttpRequestMessage Get(string path, string token) =>
        new(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
}
