using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Cluster;

/// <summary>A SafetyNet node as its own OS process (the built SafetyNet.Silo.dll), so that it can be killed with SIGKILL.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    public NodeProcess(int index, string connectionString, string signingKey, IDictionary<string, string>? extra = null)
    {
        Index = index;
        HttpPort = FreePorts.Next();
        Environment = new Dictionary<string, string>
        {
            ["Cluster__Provider"] = "Postgres",
            ["ConnectionStrings__SafetyNet"] = connectionString,
            ["Cluster__SiloPort"] = FreePorts.Next().ToString(),
            ["Cluster__GatewayPort"] = FreePorts.Next().ToString(),
            ["Cluster__ClusterId"] = "test",
            ["Cluster__PublicBaseUrl"] = BaseUrl,
            ["Storage__DataDirectory"] = Directory.CreateTempSubdirectory($"safetynet-node{index}-").FullName,
            ["Demo__Seed"] = index == 1 ? "true" : "false",
            ["Demo__Cameras"] = "3000",
            ["Demo__DistrictBoundaries"] = SharedData.DistrictBoundaries,
            ["Auth__SigningKey"] = signingKey,
            ["StateSeal__KeyPath"] = TestStateKey.Path,
            ["Auth__DevelopmentTokens"] = "true",
            ["Api__RateLimitPerSecond"] = "0",
            ["AuditRateLimit__Burst"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
            // The suite keeps the machine's cores busy, and the demo cameras' generated pictures are encoded.
            ["Media__NewEncodeCpuLimit"] = "1",
            // No load balancer routes to these nodes; ShutdownDrainTests sets its own.
            ["Shutdown__DrainDelay"] = "00:00:00",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) Environment[k] = v;
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(15) };
    }

    public int Index { get; }
    public int HttpPort { get; }
    public int? ProcessId => _process?.Id;
    public string BaseUrl => $"http://127.0.0.1:{HttpPort}";
    public Dictionary<string, string> Environment { get; }
    public HttpClient Http { get; }
    public string Log { get { lock (_log) return _log.ToString(); } }
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public static string SiloDll => Path.Combine(RepositoryRoot.Path, "silo", "bin",
        AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug", "net10.0", "SafetyNet.Silo.dll");

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet", [SiloDll, "--urls", BaseUrl])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(SiloDll)!,
        };
        foreach (var (k, v) in Environment) start.Environment[k] = v;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// Waits until /health/ready is healthy with at least <paramref name="silos"/> active silos. A peer that exits meanwhile
    /// fails the wait at once with its log, and a timeout shows every peer's log: the silos this node waits for are theirs.
    /// </summary>
    public async Task WaitReadyAsync(int silos, TimeSpan? timeout = null, IReadOnlyList<NodeProcess>? peers = null)
    {
        peers ??= [];
        try
        {
            await Eventually.WaitAsync(async () =>
            {
                foreach (var node in peers.Prepend(this))
                    if (node.ExitCode is { } code) throw new InvalidOperationException($"Node {node.Index} exited with {code}:\n{node.Log}");
                try
                {
                    using var response = await Http.GetAsync("/health/ready");
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                    return body.GetProperty("checks").GetProperty("cluster-and-database").GetProperty("data").GetProperty("activeSilos").GetInt32() >= silos
                           && response.IsSuccessStatusCode;
                }
                catch (Exception) when (ExitCode is null)
                {
                    return false;
                }
            }, ready => ready, timeout ?? TimeSpan.FromSeconds(180), $"node {Index} to be ready with {silos} active silos");
        }
        catch (TimeoutException e)
        {
            var logs = string.Concat(peers.Prepend(this).Select(node => $"\n--- node {node.Index} log ---\n{node.Log}"));
            throw new TimeoutException(e.Message + logs, e);
        }
    }

    public async Task WaitExitAsync(TimeSpan timeout) => await _process!.WaitForExitAsync(new CancellationTokenSource(timeout).Token);

    public void Kill() => _process?.Kill(entireProcessTree: false);

    /// <summary>SIGTERM, as systemd, Docker and Kubernetes stop a node; returns without waiting for it to exit.</summary>
    public async Task TerminateAsync()
    {
        using var term = Process.Start("kill", ["-TERM", _process!.Id.ToString()])!;
        await term.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the node drains (leaves membership, deactivates grains, stops relays) and exits.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        await TerminateAsync();
        try
        {
            await WaitExitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
    }

    public Task<string> TokenAsync(string agencyId, string operatorId, string role) => Http.MintAsync(agencyId, operatorId, role);

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill();
        _process?.Dispose();
        Http.Dispose();
        try { Directory.Delete(Environment["Storage__DataDirectory"], recursive: true); } catch (IOException) { }
    }
}
