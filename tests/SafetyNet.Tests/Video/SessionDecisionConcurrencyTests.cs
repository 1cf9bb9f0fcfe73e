using System.Net;
using System.Net.Sockets;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Video;

/// <summary>
/// A console's decisions run side by side in its session (issue 14): a decision held up by one camera does not hold up the
/// console's decision on another.
/// </summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SessionDecisionConcurrencyTests(VideoNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_consoles_decision_on_a_free_camera_is_answered_while_its_decision_on_a_busy_camera_waits()
    {
        // A camera that accepts the connection and never answers: a snapshot of it holds its camera grain until the socket closes.
        var silentCamera = new TcpListener(IPAddress.Loopback, 0);
        silentCamera.Start();
        try
        {
            var port = ((IPEndPoint)silentCamera.LocalEndpoint).Port;
            var admin = await Node.TokenAsync("safetynet-ops", "root", "platform-admin");
            var busy = await VideoRequests.RegisterCameraAsync(Node, admin, "silent", "11040", 37.5510, 127.0410, $"rtsp://127.0.0.1:{port}/silent");
            var free = await VideoRequests.RegisterCameraAsync(Node, admin, "free", "11040", 37.5512, 127.0412, fixture.Camera.Url("a"));
            var (_, snapshotter) = await Node.SessionAsync("seoul-112", "snapshotter");
            var (_, console) = await Node.SessionAsync("seoul-112", "console");

            var snapshot = Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{busy}/snapshot?purpose=monitoring", snapshotter);
            using var held = await silentCamera.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(30));

            // The busy camera grain is inside the snapshot now. The console asks it first, then the free camera. Had the
            // session taken one decision at a time, the second would queue behind the first until the grab timed out.
            var waiting = Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{busy}/access", console);
            using (var answered = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{free}/access", console))
                Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            Assert.False(waiting.IsCompleted, "the decision on the busy camera was answered before its camera was free");

            held.Close();
            using (var late = await waiting)
                Assert.Equal(HttpStatusCode.OK, late.StatusCode);
            using (var refused = await snapshot)
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }
        finally
        {
            silentCamera.Stop();
        }
    }
}
