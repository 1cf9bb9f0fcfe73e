using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Silo.Hosting;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>A real SafetyNet node (silo + API on Kestrel, SQLite in a temp folder) started in-process on free ports.</summary>
public sealed class TestNode : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TestNode(WebApplication app, string dataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    public IGrainFactory Grains => App.Services.GetRequiredService<IGrainFactory>();

    public static async Task<TestNode> StartAsync(int cameras = 68_000, string? dataDirectory = null, IDictionary<string, string?>? extra = null,
        Action<IServiceCollection>? decorate = null)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("safetynet-test-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Cluster:SiloPort"] = FreePorts.Next().ToString(),
            ["Cluster:GatewayPort"] = FreePorts.Next().ToString(),
            ["Demo:Seed"] = "true",
            ["Demo:Cameras"] = cameras.ToString(),
            ["Demo:DistrictBoundaries"] = SharedData.DistrictBoundaries,
            ["Api:RateLimitPerSecond"] = "0",
            ["AuditRateLimit:Burst"] = "0",
            ["Auth:DevelopmentTokens"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            // The suite keeps the machine's cores busy; a test of the limit gives its node a load of its own (SettableCpuLoad).
            ["Media:NewEncodeCpuLimit"] = "1",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var app = await NodeHost.CreateAsync([], settings, decorate);
        await app.StartAsync();
        return new TestNode(app, dataDirectory);
    }

    /// <summary>
    /// The settings of a node on PostgreSQL in cluster <paramref name="clusterId"/>, with the token and state keys its peers share;
    /// <paramref name="more"/> on top.
    /// </summary>
    public static Dictionary<string, string?> OnPostgres(string connectionString, string clusterId, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:Provider"] = "Postgres",
            ["ConnectionStrings:SafetyNet"] = connectionString,
            ["Cluster:ClusterId"] = clusterId,
            ["Auth:SigningKey"] = "a-shared-test-signing-key-of-at-least-32-characters",
            ["StateSeal:KeyPath"] = TestStateKey.Path,
            ["Shutdown:DrainDelay"] = "00:00:00", // no load balancer routes to a test's nodes
        };
        if (more is not null)
            foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    public async Task<NodeReadiness> ReadinessAsync()
    {
        using var response = await Http.GetAsync("/health/ready");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        var check = body.GetProperty("checks").GetProperty("cluster-and-database");
        return new NodeReadiness(response.StatusCode, body.GetProperty("status").GetString()!, check.GetProperty("description").GetString()!,
            check.GetProperty("data"));
    }

    public Task<string> TokenAsync(string agencyId, string operatorId, string role) => Http.MintAsync(agencyId, operatorId, role);

    /// <summary>Token, then session; returns the session id and the session-bound token.</summary>
    public Task<(string SessionId, string Token)> SessionAsync(string agencyId, string operatorId, string role = "operator") =>
        Http.SessionAsync(agencyId, operatorId, role);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public void DeleteData()
    {
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
