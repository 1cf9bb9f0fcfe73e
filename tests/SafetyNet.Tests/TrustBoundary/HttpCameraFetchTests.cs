using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>
/// A camera served over HTTP (allowed by <c>Media:StreamUrls:Schemes</c> for older Motion JPEG cameras) is fetched by ffmpeg,
/// and the node checked only the URL's own host. A hostile or compromised camera must not send ffmpeg on to an address the
/// node never checked: not by an HTTP redirect, and not by serving a playlist whose segments, or a session description whose
/// ports, lie elsewhere.
/// </summary>
[Collection(MediaCollection.Name)]
[Trait("Category", "Slow")]
public sealed class HttpCameraFetchTests : IAsyncLifetime
{
    private readonly HttpResponder _internalService = new(_ => "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecret");
    private HttpResponder _hostileCamera = null!;

    public Task InitializeAsync()
    {
        var inside = $"http://127.0.0.1:{_internalService.Port}";
        _hostileCamera = new HttpResponder(path => path switch
        {
            "/redirect" => $"HTTP/1.1 302 Found\r\nLocation: {inside}/internal-admin\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "/playlist.m3u8" => Ok("application/vnd.apple.mpegurl",
                $"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1,\n{inside}/internal-segment.ts\n"),
            _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _hostileCamera.DisposeAsync();
        await _internalService.DisposeAsync();
    }

    [Theory]
    [InlineData("/redirect")]
    [InlineData("/playlist.m3u8")]
    public async Task A_camera_cannot_send_the_relay_on_to_an_address_the_node_did_not_check(string path)
    {
        await using var media = await RelayHostHarness.StartAsync();
        var cameraId = $"hostile-{path.Trim('/').Replace('.', '-')}";

        media.Host.Acquire(cameraId, $"http://127.0.0.1:{_hostileCamera.Port}{path}", mask: null, StreamConsumer.Viewer("viewer"));
        // The relay asked the camera, failed, and asked again after its backoff: each attempt had its chance to go on.
        await Eventually.WaitAsync(() => Task.FromResult(_hostileCamera.Requests(path)), requests => requests >= 3, TimeSpan.FromSeconds(30),
            $"three attempts at {path}");
        Assert.Equal(0, _internalService.Connections);
        Assert.NotEqual(StreamState.Ready, media.Host.StatusOf(cameraId).State);
    }

    private static string Ok(string contentType, string body) =>
        $"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";

    /// <summary>A real HTTP/1.1 listener on loopback that answers each request by its path and counts what it was asked.</summary>
    private sealed class HttpResponder : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentDictionary<string, int> _requests = new();
        private readonly Task _serving;
        private int _connections;

        public HttpResponder(Func<string, string> answer)
        {
            _listener.Start();
            _serving = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    try
                    {
                        var stream = client.GetStream();
                        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                        var requestLine = await reader.ReadLineAsync(_stop.Token) ?? "";
                        var path = requestLine.Split(' ') is [_, var target, ..] ? target : "";
                        _requests.AddOrUpdate(path, 1, (_, count) => count + 1);
                        await stream.WriteAsync(Encoding.UTF8.GetBytes(answer(path)), _stop.Token);
                    }
                    catch (IOException)
                    {
                        // The client left before the answer: the next connection is still served and counted.
                    }
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Connections => Volatile.Read(ref _connections);
        public int Requests(string path) => _requests.GetValueOrDefault(path);

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                await _serving;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
