using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>Issue 10 item 5: no URL makes the node fetch from itself, its link-local neighbours or local inputs.</summary>
[Collection(TrustBoundaryNodeCollection.Name), Trait("Category", "Slow")]
public sealed class StreamUrlPolicyTests(TrustBoundaryNodeFixture fixture) : IAsyncLifetime
{
    private readonly TcpListener _internalService = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    private TestNode Node => fixture.Node;
    private int Port => ((IPEndPoint)_internalService.LocalEndpoint).Port;

    /// <summary>A real HTTP service on loopback, standing for an internal admin page; it counts every connection made to it.</summary>
    public Task InitializeAsync()
    {
        _internalService.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _internalService.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                await client.GetStream().WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecret"u8.ToArray(), _stop.Token);
            }
        });
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _stop.Cancel();
        _internalService.Stop();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Patch_and_import_refuse_local_and_generated_inputs_naming_the_reason()
    {
        var admin = await Node.TokenAsync("control-jung", "admin-ssrf", "district-admin");
        var camera = await fixture.StoreDirectlyAsync("rtsp://10.20.30.50/live");
        foreach (var (url, reason) in new[]
                 {
                     ($"http://127.0.0.1:{Port}/internal-admin", "scheme 'http'"),
                     ($"rtsp://127.0.0.1:{Port}/internal-admin", "loopback"),
                     ("rtsp://localhost/cam", "loopback"),
                     ("file:///etc/passwd", "scheme 'file'"),
                     ("lavfi:testsrc2", "lavfi"),
                     ("lavfi:movie=/etc/passwd", "lavfi"),
                     ("rtsp://169.254.169.254/latest/meta-data", "metadata"),
                     ("rtsp://[fe80::1]/cam", "link-local"),
                     ("rtsp://0.0.0.0/cam", "unspecified"),
                     ("rtsp://224.0.0.1/cam", "multicast"),
                 })
        {
            // One admin per refusal: a refused PATCH still counts against its caller's audit-write limit.
            var refusedAdmin = await Node.TokenAsync("control-jung", TrustBoundaryNodeFixture.NewId("admin"), "district-admin");
            using var patch = await Node.SendAsync(HttpMethod.Patch, $"/api/v1/cameras/{camera}", refusedAdmin, JsonContent.Create(new { streamUrl = url }));
            Assert.Contains(reason, await ProblemAssert.IsProblemAsync(patch, 400), StringComparison.OrdinalIgnoreCase);
        }
        using (var good = await Node.SendAsync(HttpMethod.Patch, $"/api/v1/cameras/{camera}", admin, JsonContent.Create(new { streamUrl = "rtsps://10.20.30.51/live" })))
            Assert.Equal(HttpStatusCode.OK, good.StatusCode);

        var id = TrustBoundaryNodeFixture.NewId("ssrf-import");
        var report = await fixture.ImportCsvAsync(admin, "id,lat,lon,purpose,stream_url\n" +
            $"{id}-1,37.5663,126.9779,traffic,rtsp://[::1]:{Port}/x\n{id}-2,37.5663,126.9779,traffic,lavfi:testsrc\n{id}-3,37.5663,126.9779,traffic,file:///etc/passwd\n" +
            $"{id}-4,37.5663,126.9779,traffic,rtsp://10.20.30.52/live\n");
        Assert.Equal(1, report.GetProperty("created").GetInt32());
        var errors = report.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("reason").GetString()!).ToArray();
        Assert.Collection(errors, e => Assert.Contains("loopback", e), e => Assert.Contains("lavfi", e), e => Assert.Contains("scheme 'file'", e));
        Assert.Equal(0, _connections);
    }

    [Fact]
    public async Task A_stored_url_reaching_the_node_itself_is_never_fetched_and_the_camera_goes_offline()
    {
        // The listener answers (so ffmpeg would get through to it), and the machine's own name resolves to loopback.
        using (var probe = new HttpClient()) Assert.Equal("secret", await probe.GetStringAsync($"http://127.0.0.1:{Port}/"));
        Assert.Equal(1, _connections);
        var hostName = Dns.GetHostName();
        Assert.Contains(await Dns.GetHostAddressesAsync(hostName), IPAddress.IsLoopback);

        var (_, viewer) = await Node.SessionAsync("police-jung", "op-ssrf");
        foreach (var (stored, reason) in new[]
                 {
                     ($"rtsp://{hostName}:{Port}/internal-admin", "loopback"),
                     ($"http://127.0.0.1:{Port}/internal-admin", "scheme 'http'"),
                     ("lavfi:movie=/etc/passwd", "lavfi"),
                 })
        {
            var camera = await fixture.StoreDirectlyAsync(stored);
            using (var snapshot = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/snapshot", viewer))
            {
                Assert.Contains(reason, await ProblemAssert.IsProblemAsync(snapshot, 409), StringComparison.OrdinalIgnoreCase);
                // The code the operator's console words in its language: the rule itself is for the district's admin.
                Assert.Equal("stream-url-refused", (await snapshot.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
            }
            using (var get = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}", viewer))
                Assert.Equal("offline", (await get.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
            using (var lease = await Node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/leases", viewer, JsonContent.Create(new { purpose = "monitoring" })))
                Assert.Contains("offline", await ProblemAssert.IsProblemAsync(lease, 403));
            var changes = await fixture.AuditAsync($"camera={camera}&kind=camera-change");
            Assert.Contains(changes, c => c.GetProperty("entry").GetProperty("reason").GetString() == "stream-url-refused");
        }
        Assert.Equal(1, _connections);
    }

    [Fact]
    public async Task The_demo_cameras_generated_source_still_plays()
    {
        var (_, viewer) = await Node.SessionAsync("police-jung", "op-demo");
        using var list = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras?district=11020&pageSize=20000", viewer);
        var demo = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties"))
            .First(p => p.GetProperty("purpose").GetString() == "crime-prevention" && p.GetProperty("status").GetString() == "online").GetProperty("id").GetString();
        using var snapshot = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{demo}/snapshot", viewer);
        Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
        Assert.Equal("image/jpeg", snapshot.Content.Headers.ContentType?.MediaType);
    }
}
