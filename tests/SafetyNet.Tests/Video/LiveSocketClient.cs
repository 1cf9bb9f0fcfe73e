using System.Net.WebSockets;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Video;

/// <summary>A viewer of the live path as a non-browser client: a ClientWebSocket on the lease's liveUrl, reading whole messages.</summary>
public sealed class LiveSocketClient(ClientWebSocket socket) : IDisposable
{
    public ClientWebSocket Socket => socket;

    public static async Task<ClientWebSocket> TryConnectAsync(TestNode node, string liveUrl, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        var uri = new UriBuilder(new Uri(node.Http.BaseAddress!, liveUrl)) { Scheme = "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The handshake was refused: HttpStatusCode says how.
        }
        return socket;
    }

    public static async Task<LiveSocketClient> ConnectAsync(TestNode node, string liveUrl)
    {
        var socket = await TryConnectAsync(node, liveUrl);
        Assert.True(socket.State == WebSocketState.Open, $"the live socket was refused with HTTP {(int)socket.HttpStatusCode}");
        return new LiveSocketClient(socket);
    }

    /// <summary>The next whole message; for a close, its type with no bytes (the status and reason are on the socket).</summary>
    public async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close) return (result.MessageType, []);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return (result.MessageType, message.ToArray());
        }
    }

    public void Dispose() => socket.Dispose();
}
