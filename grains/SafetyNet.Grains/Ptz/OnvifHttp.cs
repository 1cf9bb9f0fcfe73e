using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Media.Uplink;

namespace SafetyNet.Grains.Ptz;

/// <summary>
/// Makes the HTTP client the node talks to one camera's ONVIF device with. Every connection is checked against the camera URL
/// policy at connect time, on the address actually dialled, so a host name that resolves (or later re-resolves) to loopback or
/// a metadata service is never reached. Over HTTPS the camera's certificate is checked as its stream's is
/// (Media:StreamUrls:CameraCertificates: by default the certificate first presented at that host and port is pinned), before
/// the request, and so the WS-Security credentials, leave the node; a connection cut for its certificate is counted with the
/// node's other camera connections (<see cref="CameraUplinks"/>, the media plane's, registered by AddSafetyNetMedia). No
/// redirects, no cookies, no proxy.
/// </summary>
public sealed class OnvifHttp(IOptions<StreamUrlOptions> policy, CameraUplinks uplinks)
{
    /// <summary>A client for <paramref name="cameraId"/>'s device at <paramref name="endpoint"/>, its connections its own; the caller disposes it.</summary>
    public HttpClient CreateClient(string cameraId, Uri endpoint)
    {
        var tls = endpoint.Scheme == Uri.UriSchemeHttps;
        var authority = CameraAuthority.Of(endpoint);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var network = await ConnectAsync(context.DnsEndPoint, cancellationToken);
                return tls ? await HandshakeAsync(network, cameraId, authority, endpoint.IdnHost.Trim('[', ']'), cancellationToken) : network;
            },
        };
        // The handshake is the connect callback's, where the camera's pin is at hand; the handler then speaks HTTP over it.
        return new HttpClient(tls ? new OverCheckedTls(handler) : handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private async Task<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endPoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => StreamUrls.AddressRefusal(a, policy.Value, "ONVIF URL") is null).ToArray();
        if (allowed.Length == 0)
            throw addresses.Length == 0 ? Cut(UplinkCut.Unreachable("The ONVIF host name resolves to no address."))
                : Cut(UplinkCut.Policy(StreamUrls.AddressRefusal(addresses[0], policy.Value, "ONVIF URL")!.Reason));
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<Stream> HandshakeAsync(Stream network, string cameraId, string authority, string host, CancellationToken cancellationToken)
    {
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            CameraCertificateCheck.CertificateHandshake handshake;
            try
            {
                handshake = await uplinks.Certificates.BeginAsync(cameraId, authority);
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException or DomainException)
            {
                // Without the pin the certificate cannot be told from another's: no request rather than credentials sent to someone else.
                throw Cut(UplinkCut.Tls($"The camera's pinned certificate could not be read: {ex.Message}"));
            }
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    RemoteCertificateValidationCallback = (_, certificate, chain, errors) => handshake.Accepts(certificate, chain, errors),
                }, cancellationToken);
            }
            catch (System.Security.Authentication.AuthenticationException) when (handshake.PresentedAnother)
            {
                throw Cut(UplinkCut.Certificate(await handshake.RefusedAsync()));
            }
            catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
            {
                throw Cut(UplinkCut.Tls($"TLS with the camera's ONVIF device failed: {ex.Message}"));
            }
            if (await handshake.ConfirmAsync() is { } refusal) throw Cut(UplinkCut.Certificate(refusal));
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    private OnvifException Cut(UplinkCut cut)
    {
        uplinks.Count(cut);
        return new OnvifException(cut.Reason) { Reason = cut.RefusalReason };
    }

    /// <summary>Sends an https request as http to the handler whose connections are already TLS, keeping the Host the camera expects.</summary>
    private sealed class OverCheckedTls(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var asked = request.RequestUri!;
            request.Headers.Host = asked.Authority;
            request.RequestUri = new UriBuilder(asked) { Scheme = Uri.UriSchemeHttp, Port = asked.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
