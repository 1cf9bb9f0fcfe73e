using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Cameras;

namespace SafetyNet.Grains.Media.Uplink;

/// <summary>
/// Opens each ffmpeg run's <see cref="CameraUplink"/>, checking the camera's URL and resolved addresses against the stream
/// policy every time: a relay's restart after a backoff is checked as its first start was.
/// </summary>
public sealed class CameraUplinks(IOptions<StreamUrlOptions> policy, IOptions<MediaOptions> media, ICameraCertificatePins pins, ILogger<CameraUplinks> logger)
{
    private readonly long[] _cuts = new long[UplinkCut.Kinds.Length];

    /// <summary>How a camera's certificate is checked, for its stream here and for its ONVIF device (<see cref="Ptz.OnvifHttp"/>).</summary>
    public CameraCertificateCheck Certificates { get; } = new(policy.Value, pins);

    /// <summary>Connections cut or refused since start, by kind (every kind, zero included).</summary>
    public IEnumerable<(string Kind, long Count)> Cuts => UplinkCut.Kinds.Select((kind, i) => (kind, Interlocked.Read(ref _cuts[i])));

    /// <summary>The source ffmpeg opens: an uplink's for a network camera, the URL itself for generated pictures (null uplink).</summary>
    public async Task<(CameraSource Source, CameraUplink? Uplink)> OpenAsync(string cameraId, string streamUrl, CancellationToken cancellationToken)
    {
        if (StreamUrls.IsGenerated(streamUrl)) return (new CameraSource(streamUrl), null);
        var host = await CheckedHostAsync(streamUrl, cancellationToken);
        var uplink = CameraUplink.Open(cameraId, streamUrl, host.Addresses, media.Value.InputTimeout, Certificates, logger, Count);
        return (uplink.Source, uplink);
    }

    /// <summary>
    /// Whether the camera takes a connection at all, before an ffmpeg is started to ask it for a picture: a TCP connection to
    /// one of its checked addresses within the input timeout. Null when one opened; else the cut (counted) the uplink would
    /// have made. A camera with no power costs a socket this way, not an ffmpeg process waiting out the same timeout.
    /// </summary>
    public async Task<UplinkCut?> UnreachableAsync(string streamUrl, CancellationToken cancellationToken)
    {
        if (StreamUrls.IsGenerated(streamUrl)) return null;
        StreamHost host;
        try
        {
            host = await CheckedHostAsync(streamUrl, cancellationToken);
        }
        catch (UplinkRefusedException refused)
        {
            return refused.Cut;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(media.Value.InputTimeout);
        var port = CameraAuthority.PortOf(new Uri(streamUrl));
        foreach (var address in host.Addresses)
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
                return null;
            }
            catch (SocketException) { }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
        var cut = UplinkCut.Unreachable($"The camera did not take a connection within {media.Value.InputTimeout.TotalSeconds:0.#} s.");
        Count(cut);
        return cut;
    }

    /// <summary>The camera's host, resolved and checked against the stream policy; refused (and counted) otherwise.</summary>
    private async Task<StreamHost> CheckedHostAsync(string streamUrl, CancellationToken cancellationToken)
    {
        StreamHost host;
        try
        {
            host = await StreamHost.ResolveAsync(streamUrl, policy.Value, cancellationToken);
        }
        catch (SocketException)
        {
            throw Refused(UplinkCut.Unreachable("The camera's stream host name does not resolve right now."));
        }
        if (host.Refusal is { } refusal) throw Refused(UplinkCut.Policy(refusal));
        return host;
    }

    private UplinkRefusedException Refused(UplinkCut cut)
    {
        Count(cut);
        return new UplinkRefusedException(cut);
    }

    /// <summary>Counts a connection to a camera cut or never made, the ONVIF device's included.</summary>
    public void Count(UplinkCut cut) => Interlocked.Increment(ref _cuts[UplinkCut.Kinds.IndexOf(cut.Kind)]);
}
