namespace SafetyNet.Contracts.Cameras;

/// <summary>
/// The host and port the node reaches a camera at, as its certificate pins are keyed (<see cref="CameraCertificatePin.Authority"/>):
/// the host in lower case (an IPv6 address in brackets), and the port written out even where the URL leaves it to the scheme.
/// </summary>
public static class CameraAuthority
{
    public static string Of(Uri url)
    {
        var host = url.IdnHost.ToLowerInvariant();
        return $"{(url.HostNameType == UriHostNameType.IPv6 ? $"[{host}]" : host)}:{PortOf(url)}";
    }

    /// <summary>The authority of <paramref name="url"/>, or null when it is no absolute URL.</summary>
    public static string? Of(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? Of(parsed) : null;

    public static int PortOf(Uri url) => url.Port > 0 ? url.Port : url.Scheme switch
    {
        "rtsp" => 554,
        "rtsps" => 322,
        "https" => 443,
        _ => 80,
    };
}
