using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;
using Xunit.Abstractions;

namespace SafetyNet.Tests.Cluster;

/// <summary>
/// The operator's own tool, deploy/cluster/{start,stop}-local-cluster.sh, against the PostgreSQL that .ci/run starts:
/// start two nodes, scale out by one, write through the newcomer, drain it (scale in), and read the write back.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class LocalClusterScriptTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("safetynet-script-cluster-").FullName;
    private readonly string _database = $"sn_script_{Guid.NewGuid():N}"[..24];
    private readonly int _siloBase = FreePorts.Block(3);
    private readonly int _gatewayBase = FreePorts.Block(3);
    private readonly int _httpBase = FreePorts.Block(3);

    [Fact]
    public async Task The_local_cluster_script_starts_scales_out_and_drains_nodes()
    {
        var started = await RunAsync("start-local-cluster.sh", "-n", "2", "--no-build", "--cameras", "2000");
        Assert.Contains("cluster of 2 node(s) is up", started);

        var joined = await RunAsync("start-local-cluster.sh", "--join", "1");
        Assert.Contains("cluster of 3 node(s) is up", joined);
        using var node1 = Client(1);
        using var node2 = Client(2);
        using var node3 = Client(3);
        foreach (var node in new[] { node1, node2, node3 })
            Assert.Equal(3, await ActiveSilosAsync(node));

        var dispatcher = await TokenAsync(node3, "seoul-112", "dispatch-system");
        using var open = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents")
        {
            Content = JsonContent.Create(new { type = "112-dispatch", latitude = 37.5735, longitude = 126.9790, externalReference = "script-test" }),
        };
        open.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dispatcher);
        using var opened = await node3.SendAsync(open);
        Assert.Equal(201, (int)opened.StatusCode);
        var incidentId = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var drained = await RunAsync("stop-local-cluster.sh", "--node", "3");
        Assert.Contains("stopped 1 node(s)", drained);
        Assert.DoesNotContain("SIGKILL", drained);
        var node3Log = await File.ReadAllTextAsync(Path.Combine(_stateDirectory, "node3", "node.log"));
        Assert.Contains($"Content root path: {AppDirectory}", node3Log);
        Assert.Contains("Application is shutting down", node3Log);
        Assert.DoesNotContain("Error thrown from OnDeactivateAsync", node3Log);
        await Eventually.WaitAsync(() => ActiveSilosAsync(node1), active => active == 2, TimeSpan.FromSeconds(60), "node 3 to leave membership");

        var admin = await TokenAsync(node1, "safetynet-ops", "platform-admin");
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/incidents/{incidentId}");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var incident = await node1.SendAsync(read);
        Assert.Equal(200, (int)incident.StatusCode);
        Assert.Equal("open", (await incident.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await RunAsync("stop-local-cluster.sh", "--purge", "--drop-database");
        Assert.False(Directory.Exists(_stateDirectory), "--purge must remove the state directory");
    }

    private static string AppDirectory => Path.GetDirectoryName(NodeProcess.SiloDll)!;

    private HttpClient Client(int node) => new() { BaseAddress = new Uri($"http://127.0.0.1:{_httpBase + node}"), Timeout = TimeSpan.FromSeconds(15) };

    private static async Task<int> ActiveSilosAsync(HttpClient node)
    {
        using var response = await node.GetAsync("/health/ready");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("checks").GetProperty("cluster-and-database").GetProperty("data").GetProperty("activeSilos").GetInt32();
    }

    private static Task<string> TokenAsync(HttpClient node, string agencyId, string role) => node.MintAsync(agencyId, "script-test", role);

    /// <summary>Runs a script of deploy/cluster as an operator would (as root, PostgreSQL administered through the postgres user).</summary>
    private async Task<string> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "deploy", "cluster", script), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["SAFETYNET_CLUSTER_DIR"] = _stateDirectory;
        start.Environment["SAFETYNET_DB_NAME"] = _database;
        start.Environment["SAFETYNET_DB_USER"] = "safetynet_script_test";
        start.Environment["SAFETYNET_APP_DIR"] = AppDirectory;
        start.Environment["SAFETYNET_SILO_PORT_BASE"] = _siloBase.ToString();
        start.Environment["SAFETYNET_GATEWAY_PORT_BASE"] = _gatewayBase.ToString();
        start.Environment["SAFETYNET_HTTP_PORT_BASE"] = _httpBase.ToString();
        start.Environment["SAFETYNET_CLUSTER_ID"] = "script-test";
        start.Environment["SAFETYNET_DISTRICTS"] = SharedData.DistrictBoundaries;
        start.Environment["Shutdown__DrainDelay"] = "00:00:00"; // no load balancer routes to these nodes (ShutdownDrainTests drains)
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout + await stderr;
        output.WriteLine($"$ {script} {string.Join(' ', arguments)} → exit {process.ExitCode}\n{text}");
        Assert.True(process.ExitCode == 0, $"{script} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{text}");
        return text;
    }
}
