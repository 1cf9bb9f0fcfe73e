using System.Diagnostics;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Video;

/// <summary>A first playlist request on a cold camera waits for the stream instead of answering 404 for the player to poll.</summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class FirstRequestWaitTests(VideoNodeFixture fixture)
{
    /// <summary>Media:FirstRequestWait's default.</summary>
    private static readonly TimeSpan FirstRequestWait = TimeSpan.FromSeconds(10);

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task The_first_playlist_request_on_a_cold_camera_answers_the_playlist_within_the_deadline()
    {
        var admin = await Node.TokenAsync("safetynet-ops", "root", "platform-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, admin, "cold", "11020", 37.5641, 126.9971, fixture.Camera.Url("e"));
        var (_, viewer) = await Node.SessionAsync("seoul-112", "cold-viewer");
        var lease = await VideoRequests.LeaseAsync(Node, viewer, camera);

        var clock = Stopwatch.StartNew();
        using var response = await Node.Http.GetAsync(lease.GetProperty("playlistUrl").GetString()!);
        var waited = clock.Elapsed;

        var playlist = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {playlist}");
        Assert.Contains(".ts?token=", playlist);
        Assert.True(waited < FirstRequestWait, $"the first playlist took {waited.TotalSeconds:F1} s");
        await ReleaseAsync(viewer, lease);
    }

    [Fact]
    public async Task A_camera_that_never_answers_gets_a_503_with_retry_after_and_the_reason_at_the_deadline()
    {
        var admin = await Node.TokenAsync("safetynet-ops", "root", "platform-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, admin, "dead", "11020", 37.5642, 126.9972, $"rtsp://127.0.0.1:{FreePorts.Next()}/nothing");
        var (_, viewer) = await Node.SessionAsync("seoul-112", "dead-viewer");
        var lease = await VideoRequests.LeaseAsync(Node, viewer, camera);

        var clock = Stopwatch.StartNew();
        using var response = await Node.Http.GetAsync(lease.GetProperty("playlistUrl").GetString()!);

        await ProblemAssert.IsProblemAsync(response, 503);
        Assert.True(clock.Elapsed < FirstRequestWait + TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {response.Headers.RetryAfter}");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(problem.GetProperty("reason").GetString(), (string[])["stream-failed", "stream-starting"]);
        await ReleaseAsync(viewer, lease);
    }

    private async Task ReleaseAsync(string viewer, JsonElement lease)
    {
        using var release = await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{lease.GetProperty("leaseId").GetString()}", viewer);
        Assert.Equal(204, (int)release.StatusCode);
    }
}
