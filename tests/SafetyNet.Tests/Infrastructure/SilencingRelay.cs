using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of a server (PostgreSQL) that can go silent, as a network that drops packets does: while
/// silent it passes nothing on in either direction and a new connection gets no answer, so the client waits on its own
/// timeouts, where a refused or closed connection would have told it at once. When it speaks again, what it held back
/// flows on, as retransmitted packets would. <see cref="Stall"/> silences only the connections already open, as a server
/// whose sessions wait on a lock or a slow disk does while it still answers new connections.
/// </summary>
public sealed class SilencingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _serverHost;
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile TaskCompletionSource _speaking = Open();
    private readonly ConcurrentDictionary<Connection, byte> _connections = new();

    private SilencingRelay(string serverHost, int serverPort)
    {
        (_serverHost, _serverPort) = (serverHost, serverPort);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static SilencingRelay Start(string serverHost, int serverPort) => new(serverHost, serverPort);

    /// <summary>A relay in front of the PostgreSQL server <paramref name="connectionString"/> names, and that connection string through it.</summary>
    public static (SilencingRelay Relay, string ThroughRelay) InFrontOf(string connectionString)
    {
        var server = new NpgsqlConnectionStringBuilder(connectionString);
        var relay = Start(server.Host!, server.Port);
        return (relay, new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = relay.Port }.ToString());
    }

    public void Silence()
    {
        if (_speaking.Task.IsCompleted) _speaking = Closed();
    }

    /// <summary>Silent until the returned handle is disposed.</summary>
    public IAsyncDisposable Silenced()
    {
        Silence();
        return new SpeaksWhenDisposed(this);
    }

    private sealed class SpeaksWhenDisposed(SilencingRelay relay) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            relay.Speak();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The connections open now pass nothing on until <see cref="Speak"/>; new ones are relayed as usual.</summary>
    public void Stall()
    {
        foreach (var connection in _connections.Keys)
            if (connection.Passing.Task.IsCompleted) connection.Passing = Closed();
    }

    public void Speak()
    {
        _speaking.TrySetResult();
        foreach (var connection in _connections.Keys) connection.Passing.TrySetResult();
    }

    private static TaskCompletionSource Closed() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true) _ = RelayAsync(await _listener.AcceptTcpClientAsync(_stop.Token));
        }
        catch (Exception e) when (e is OperationCanceledException || _stop.IsCancellationRequested)
        {
            // Stopping: a connection accepted just before, and the loop comes back to a listener already stopped.
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        var connection = new Connection();
        try
        {
            using (client)
            {
                await _speaking.Task.WaitAsync(_stop.Token);
                await server.ConnectAsync(_serverHost, _serverPort, _stop.Token);
                _connections.TryAdd(connection, 0);
                await Task.WhenAny(PassOnAsync(connection, client.GetStream(), server.GetStream()), PassOnAsync(connection, server.GetStream(), client.GetStream()));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // The relay stops, or one side went away: the other side is closed with it.
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    private async Task PassOnAsync(Connection connection, NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                await _speaking.Task.WaitAsync(_stop.Token);
                await connection.Passing.Task.WaitAsync(_stop.Token);
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private sealed class Connection
    {
        public volatile TaskCompletionSource Passing = Open();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
