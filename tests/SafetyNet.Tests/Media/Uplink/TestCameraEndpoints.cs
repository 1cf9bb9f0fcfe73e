using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SafetyNet.Tests.Media.Uplink;

/// <summary>A loopback listener that records every connection made to it and the first request read on each, then hangs up.</summary>
public sealed class RecordingListener : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Task _accepting;
    private readonly Func<string, string?> _reply;
    private int _connections;

    /// <param name="reply">What to answer to each request (its header as read); null hangs up.</param>
    public RecordingListener(Func<string, string?>? reply = null)
    {
        _reply = reply ?? (_ => null);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Connections => Volatile.Read(ref _connections);
    public IReadOnlyList<string> Requests => [.. _requests];

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref _connections);
                _ = AnswerAsync(client);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                while (await ReadHeaderAsync(stream) is { } request)
                {
                    _requests.Enqueue(request);
                    if (_reply(request) is not { } answer) return;
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
                }
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<string?> ReadHeaderAsync(Stream stream)
    {
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0) return null;
            header.Append((char)one[0]);
        }
        return header.ToString();
    }

    /// <summary>The CSeq of an RTSP request, to echo in its reply.</summary>
    public static string CSeqOf(string request) =>
        request.Split("\r\n").FirstOrDefault(l => l.StartsWith("CSeq:", StringComparison.OrdinalIgnoreCase))?[5..].Trim() ?? "0";

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _accepting;
    }
}

/// <summary>
/// A TLS front for a plain camera on loopback, as an RTSPS camera is: a certificate its own root signed for
/// <paramref name="names"/> (DNS names or addresses), and the server name each client asked for recorded.
/// </summary>
public sealed class TlsCameraFront : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string[] _names;
    private X509Certificate2 _certificate;
    private readonly ConcurrentQueue<string> _serverNames = new();
    private readonly int _cameraPort;
    private readonly Task _accepting;
    private CancellationTokenSource _open = new();

    public TlsCameraFront(int cameraPort, params string[] names)
    {
        _cameraPort = cameraPort;
        _names = names.Length > 0 ? names : ["localhost"];
        _certificate = SignedByItsOwnRoot(_names);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public IReadOnlyList<string> ServerNames => [.. _serverNames];

    /// <summary>The SHA-256 fingerprint of the certificate presented now, in upper-case hex.</summary>
    public string Fingerprint => Convert.ToHexString(SHA256.HashData(Volatile.Read(ref _certificate).RawData));

    /// <summary>
    /// Presents a new certificate for the same names, signed by a new root, and drops the connections open under the old one:
    /// a camera re-keyed (which restarts its server), or someone on the path answering for it.
    /// </summary>
    public void ReplaceCertificate()
    {
        Volatile.Write(ref _certificate, SignedByItsOwnRoot(_names));
        Interlocked.Exchange(ref _open, new CancellationTokenSource()).Cancel();
    }

    /// <summary>The root that signed the camera's certificate, as PEM, for a node told to trust it (a district's own CA).</summary>
    public string RootPem { get; private set; } = "";

    private X509Certificate2 SignedByItsOwnRoot(string[] names)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest($"CN=test district CA {Guid.NewGuid():N}", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        RootPem = root.ExportCertificatePem();

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test-camera", key, HashAlgorithmName.SHA256);
        var alternative = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
            if (IPAddress.TryParse(name, out var address)) alternative.AddIpAddress(address);
            else alternative.AddDnsName(name);
        request.CertificateExtensions.Add(alternative.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var signed = request.Create(root, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
                _ = RelayAsync(await _listener.AcceptTcpClientAsync());
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var camera = new TcpClient())
        using (Volatile.Read(ref _open).Token.Register(() => { client.Dispose(); camera.Dispose(); }))
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateSelectionCallback = (_, name) =>
                    {
                        _serverNames.Enqueue(name ?? "");
                        return Volatile.Read(ref _certificate);
                    },
                });
                await camera.ConnectAsync(IPAddress.Loopback, _cameraPort);
                var plain = camera.GetStream();
                await Task.WhenAny(tls.CopyToAsync(plain), plain.CopyToAsync(tls));
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _open.CancelAsync();
        await _accepting;
        _certificate.Dispose();
    }
}
