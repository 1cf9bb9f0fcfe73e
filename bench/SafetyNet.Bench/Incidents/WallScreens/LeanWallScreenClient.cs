using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Bench.Incidents.WallScreens;

/// <summary>
/// A wall screen that speaks SignalR's JSON hub protocol itself over a bare WebSocket, as a browser's client does on the
/// wire: the handshake, records ending in 0x1E, invocations with their completions, and a ping every
/// <see cref="KeepAliveInterval"/> so that the server does not time the connection out. A batch is read once with
/// <see cref="HubRecordReader"/>, which skips every field the bench does not use; Microsoft's client binds each batch
/// through its generic argument binder, which took a quarter of the bench's CPU beside the node.
/// </summary>
public sealed class LeanWallScreenClient : IWallScreenClient
{
    private const byte RecordSeparator = 0x1E;
    private const int InitialBuffer = 16 * 1024;
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");

    private readonly ClientWebSocket _socket = new();
    private readonly IWallScreenListener _listener;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _calls = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _disposing = new();
    private Task _receiving = Task.CompletedTask;
    private Timer? _keepAlive;
    private int _lastInvocation;

    private LeanWallScreenClient(IWallScreenListener listener) => _listener = listener;

    public static async Task<IWallScreenClient> ConnectAsync(Uri hub, string token, IWallScreenListener listener)
    {
        var client = new LeanWallScreenClient(listener);
        var address = new UriBuilder(hub)
        {
            Scheme = hub.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Query = "access_token=" + Uri.EscapeDataString(token),
        }.Uri;
        await client._socket.ConnectAsync(address, CancellationToken.None);
        client._receiving = Task.Run(client.ReceiveAsync);
        await client.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"));
        await client._handshake.Task.WaitAsync(TimeSpan.FromSeconds(30));
        client._keepAlive = new Timer(_ => _ = client.SendQuietlyAsync(Ping), null, KeepAliveInterval, KeepAliveInterval);
        return client;
    }

    public async Task SubscribeAsync()
    {
        var id = Interlocked.Increment(ref _lastInvocation).ToString(CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = completion;
        await SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"SubscribeIncidentCards\",\"arguments\":[]}}\u001e"));
        await completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (_keepAlive is not null) await _keepAlive.DisposeAsync();
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException or ObjectDisposedException)
        {
            // Already closed by the server; nothing to say goodbye to.
        }
        await _disposing.CancelAsync();
        await _receiving;
        _socket.Dispose();
        _disposing.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[InitialBuffer];
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var received = await _socket.ReceiveAsync(buffer.AsMemory(filled), _disposing.Token);
                if (received.MessageType == WebSocketMessageType.Close) break;
                var arrivedAt = Stopwatch.GetTimestamp();
                filled += received.Count;
                var start = 0;
                int end;
                while ((end = Array.IndexOf(buffer, RecordSeparator, start, filled - start)) >= 0)
                {
                    if (!Dispatch(buffer.AsSpan(start, end - start), arrivedAt)) return;
                    start = end + 1;
                }
                if (start == 0) continue;
                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
            }
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            Closed();
        }
    }

    /// <summary>False when the server closed the connection (a close message or a refused handshake).</summary>
    private bool Dispatch(ReadOnlySpan<byte> record, long arrivedAt)
    {
        if (!_handshake.Task.IsCompleted)
        {
            var error = HubRecordReader.HandshakeError(record);
            if (error is not null) _handshake.TrySetException(new InvalidOperationException($"SignalR handshake refused: {error}"));
            else _handshake.TrySetResult();
            return error is null;
        }
        var message = HubRecordReader.Read(record, DashboardEventNames.Batch, e => _listener.OnEvent(e, arrivedAt));
        switch (message.Type)
        {
            case HubMessageType.Completion when message.InvocationId is not null && _calls.TryRemove(message.InvocationId, out var call):
                if (message.Error is null) call.TrySetResult();
                else call.TrySetException(new InvalidOperationException($"SubscribeIncidentCards failed: {message.Error}"));
                return true;
            case HubMessageType.Close:
                return false;
            default:
                return true;
        }
    }

    private void Closed()
    {
        _handshake.TrySetException(new InvalidOperationException("The connection closed before the SignalR handshake completed."));
        foreach (var id in _calls.Keys)
            if (_calls.TryRemove(id, out var call)) call.TrySetException(new InvalidOperationException("The connection closed before the call completed."));
        if (!_disposing.IsCancellationRequested) _listener.OnClosed();
    }

    private async Task SendAsync(byte[] record)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(record, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task SendQuietlyAsync(byte[] record)
    {
        try
        {
            await SendAsync(record);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The receive loop reports the closed connection.
        }
    }
}
