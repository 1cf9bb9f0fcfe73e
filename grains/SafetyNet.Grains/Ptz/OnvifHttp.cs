using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Grains.Ptz;

/// <summary>
/// The one HTTP client the node talks ONVIF with. Every connection is checked against the camera URL policy at connect time,
/// on the address actually dialled, so a host name that resolves (or later re-resolves) to loopback or a metadata service is
/// never reached. No redirects, no cookies, no proxy.
/// </summary>
public sealed class OnvifHttp : IDisposable
{
    public OnvifHttp(IOptions<StreamUrlOptions> policy)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var addresses = IPAddress.TryParse(context.DnsEndPoint.Host.Trim('[', ']'), out var literal)
                    ? [literal]
                    : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
                var allowed = addresses.Where(a => StreamUrls.AddressRefusal(a, policy.Value, "ONVIF URL") is null).ToArray();
                if (allowed.Length == 0)
                    throw new OnvifException(addresses.Length == 0 ? "The ONVIF host name resolves to no address."
                        : StreamUrls.AddressRefusal(addresses[0], policy.Value, "ONVIF URL")!.Reason);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        Client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
