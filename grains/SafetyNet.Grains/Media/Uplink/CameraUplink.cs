using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Errors;

namespace SafetyNet.Grains.Media.Uplink;

/// <summary>
/// One ffmpeg run's connection to its camera, made by the node, not by ffmpeg. ffmpeg is given a loopback address
/// (<see cref="Source"/>); each connection it opens there is joined to the camera at an address the stream policy allowed
/// when the run began. A host name that resolves elsewhere later, or a camera that redirects, cannot take ffmpeg anywhere
/// else:
/// <list type="bullet">
/// <item>RTSP: what the camera sends is read as ffmpeg reads it (<see cref="RtspReplyScanner"/>), and a redirect cuts the
/// connection before ffmpeg acts on it.</item>
/// <item>RTSPS and HTTPS: the node speaks TLS to the camera, naming its host as ffmpeg would, and plain text to ffmpeg over
/// loopback.</item>
/// <item>HTTP: ffmpeg follows no redirect (<c>-max_redirects 0</c>) and sends the camera's own Host header.</item>
/// </list>
/// </summary>
public sealed class CameraUplink : IAsyncDisposable
{
    /// <summary>ffmpeg opens one connection per run; a few more cover its retries, and anything past them is not ffmpeg.</summary>
    private const int MaxConnections = 4;

    // A camera sends RTP packets of about 1,400 bytes; two buffers a connection keep a node of 200 relays within 7 MB.
    private const int BufferBytes = 16 * 1024;

    /// <summary>
    /// What the node may have written to ffmpeg that ffmpeg has not read. Left to grow (Linux lets a loopback socket's buffer
    /// reach megabytes), a busy ffmpeg would fall seconds behind the camera, where with a direct connection the camera is
    /// held back instead; bounded, the node stops reading the camera too, as ffmpeg would. Loopback needs no more for speed.
    /// </summary>
    private const int LocalSendBufferBytes = 64 * 1024;

    private readonly string _cameraId;
    private readonly Uri _camera;
    private readonly IReadOnlyList<IPAddress> _addresses;
    private readonly TimeSpan _connectTimeout;
    private readonly ILogger _logger;
    private readonly Action<UplinkCut> _counted;
    private readonly CameraCertificateCheck _certificates;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _gate = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _open;
    private UplinkCut? _lastCut;

    private CameraUplink(string cameraId, string streamUrl, IReadOnlyList<IPAddress> addresses, TimeSpan connectTimeout, CameraCertificateCheck certificates,
        ILogger logger, Action<UplinkCut> counted)
    {
        (_cameraId, _camera, _addresses, _connectTimeout, _certificates, _logger, _counted) =
            (cameraId, new Uri(streamUrl), addresses, connectTimeout, certificates, logger, counted);
        _listener.Start(MaxConnections);
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Source = new CameraSource(LoopbackUrl(streamUrl, port), IsHttp ? HostHeader(_camera) : null);
        _accepting = AcceptAsync();
    }

    /// <summary>Opens the uplink to <paramref name="addresses"/>, the camera's addresses as the stream policy checked them; each cut is also given to <paramref name="counted"/>.</summary>
    public static CameraUplink Open(string cameraId, string streamUrl, IReadOnlyList<IPAddress> addresses, TimeSpan connectTimeout,
        CameraCertificateCheck certificates, ILogger logger, Action<UplinkCut> counted) =>
        new(cameraId, streamUrl, addresses, connectTimeout, certificates, logger, counted);

    public CameraSource Source { get; }

    /// <summary>Why the uplink last cut or could not make a connection (a redirect, an unreachable camera); null while none was.</summary>
    public UplinkCut? LastCut => Volatile.Read(ref _lastCut);

    private bool IsRtsp => _camera.Scheme is "rtsp" or "rtsps";
    private bool IsHttp => !IsRtsp;
    private bool UsesTls => _camera.Scheme is "rtsps" or "https";

    /// <summary>The camera's host and port, where its certificate is pinned.</summary>
    private string Authority => CameraAuthority.Of(_camera);

    private int CameraPort => CameraAuthority.PortOf(_camera);

    /// <summary>The camera's URL with its scheme made plain and its host and port the uplink's; credentials, path and query unchanged.</summary>
    public static string LoopbackUrl(string streamUrl, int port)
    {
        var schemeEnd = streamUrl.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = schemeEnd + 3;
        var authorityEnd = streamUrl.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0) authorityEnd = streamUrl.Length;
        var userInfoEnd = streamUrl.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        var userInfo = userInfoEnd >= 0 ? streamUrl[authorityStart..(userInfoEnd + 1)] : "";
        var scheme = streamUrl[..schemeEnd].ToLowerInvariant() switch
        {
            "rtsps" => "rtsp",
            "https" => "http",
            var plain => plain,
        };
        return $"{scheme}://{userInfo}127.0.0.1:{port}{streamUrl[authorityEnd..]}";
    }

    private static string HostHeader(Uri camera) =>
        (camera.HostNameType == UriHostNameType.IPv6 ? $"[{camera.IdnHost.Trim('[', ']')}]" : camera.IdnHost) + (camera.IsDefaultPort ? "" : $":{camera.Port}");

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_closing.Token);
                if (Interlocked.Increment(ref _open) > MaxConnections)
                {
                    Interlocked.Decrement(ref _open);
                    client.Dispose();
                    continue;
                }
                lock (_gate)
                {
                    _connections.RemoveAll(connection => connection.IsCompleted);
                    _connections.Add(JoinAsync(client));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The run ended.
        }
    }

    /// <summary>One of ffmpeg's connections, joined to the camera until either side ends it.</summary>
    private async Task JoinAsync(Socket client)
    {
        client.SendBufferSize = LocalSendBufferBytes;
        await using var local = new NetworkStream(client, ownsSocket: true);
        try
        {
            await using var camera = await ConnectAsync();
            if (camera is null) return;
            using var joined = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
            var up = local.CopyToAsync(camera, BufferBytes, joined.Token);
            var down = CopyFromCameraAsync(camera, local, IsRtsp ? new RtspReplyScanner() : null, joined.Token);
            await Task.WhenAny(up, down);
            await joined.CancelAsync();
            await Task.WhenAll(up, down).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side hung up: ffmpeg sees its connection end and the relay's machine decides what follows.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>A stream to the camera at the first of its checked addresses that answers; null (with the reason kept) when none does.</summary>
    private async Task<Stream?> ConnectAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        timeout.CancelAfter(_connectTimeout);
        SocketException? last = null;
        foreach (var address in _addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, CameraPort), timeout.Token);
                var network = new NetworkStream(socket, ownsSocket: true);
                if (!UsesTls) return network;
                var handshake = await _certificates.BeginAsync(_cameraId, Authority);
                var tls = new SslStream(network, leaveInnerStreamOpen: false);
                try
                {
                    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        // Sent as SNI for a name (never for an address), and checked against the certificate unless any is accepted.
                        TargetHost = _camera.IdnHost.Trim('[', ']'),
                        RemoteCertificateValidationCallback = (_, certificate, chain, errors) => handshake.Accepts(certificate, chain, errors),
                    }, timeout.Token);
                }
                catch (System.Security.Authentication.AuthenticationException) when (handshake.PresentedAnother)
                {
                    await tls.DisposeAsync();
                    Cut(UplinkCut.Certificate(await handshake.RefusedAsync()));
                    return null;
                }
                if (await handshake.ConfirmAsync() is { } refusal)
                {
                    await tls.DisposeAsync();
                    Cut(UplinkCut.Certificate(refusal));
                    return null;
                }
                return tls;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested)
            {
                // The run ended while the camera was being reached: nothing to report.
                socket.Dispose();
                return null;
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
            {
                socket.Dispose();
                Cut(ex is OperationCanceledException
                    ? UplinkCut.Unreachable($"The camera did not answer within {_connectTimeout.TotalSeconds:0.#} s.")
                    : UplinkCut.Tls($"TLS with the camera failed: {ex.Message}"));
                return null;
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException or DomainException)
            {
                // Without the pin the certificate cannot be told from another's: no stream rather than one that may be someone else's.
                socket.Dispose();
                Cut(UplinkCut.Tls($"The camera's pinned certificate could not be read: {ex.Message}"));
                return null;
            }
        }
        Cut(UplinkCut.Unreachable($"The camera could not be reached: {last?.SocketErrorCode.ToString() ?? "no address"}."));
        return null;
    }

    private async Task CopyFromCameraAsync(Stream camera, Stream local, RtspReplyScanner? scanner, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferBytes];
        int read;
        while ((read = await camera.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (scanner?.Scan(buffer.AsSpan(0, read)) is { } refusal)
            {
                Cut(refusal);
                return;
            }
            await local.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private void Cut(UplinkCut cut)
    {
        Volatile.Write(ref _lastCut, cut);
        _counted(cut);
        _logger.LogWarning("The uplink of camera {CameraId} to {Camera} was cut ({Kind}): {Reason}", _cameraId, StreamUrls.Redact(_camera.GetLeftPart(UriPartial.Authority)),
            cut.Kind, cut.Reason);
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_gate) connections = [.. _connections];
        await Task.WhenAll(connections).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _closing.Dispose();
    }
}
