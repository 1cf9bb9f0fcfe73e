using System.Collections.Immutable;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Errors;

namespace SafetyNet.Grains.Media.Uplink;

/// <summary>Why the node cut, or never made, a connection to a camera: a <see cref="Kind"/> to count, and the reason to log.</summary>
public sealed record UplinkCut(string Kind, string Reason)
{
    /// <summary>Every kind, so that each is exported (at zero) before the first cut.</summary>
    public static readonly ImmutableArray<string> Kinds = ["redirect", "protocol", "unreachable", "tls", "certificate", "policy"];

    /// <summary>The camera pointed the node elsewhere (an RTSP 3xx, a Location).</summary>
    public static UplinkCut Redirect(string reason) => new("redirect", reason);

    /// <summary>The camera sent RTSP the node cannot read as ffmpeg would.</summary>
    public static UplinkCut Protocol(string reason) => new("protocol", reason);

    /// <summary>The camera's name did not resolve, or none of its addresses answered in time.</summary>
    public static UplinkCut Unreachable(string reason) => new("unreachable", reason);

    public static UplinkCut Tls(string reason) => new("tls", reason);

    /// <summary>
    /// The camera presented a certificate other than the one pinned when the node first reached it: a re-keyed camera, or
    /// something on the path answering for it. Counted apart from other TLS failures, as a possible attack.
    /// </summary>
    public static UplinkCut Certificate(string reason) => new("certificate", reason);

    /// <summary>The stream policy refused the camera's URL or an address its name resolves to.</summary>
    public static UplinkCut Policy(string reason) => new("policy", reason);

    /// <summary>The code a console words this cut with for its operator (<see cref="RefusalReasons"/>); null where the request's own reason does.</summary>
    public string? RefusalReason => Kind == "certificate" ? RefusalReasons.CameraCertificateChanged : null;

    /// <summary>What a camera cut off this way is offline for (<see cref="CameraStatusReport.Cause"/>).</summary>
    public string StatusCause => Kind switch
    {
        "redirect" => CameraStatusCauses.Redirected,
        "protocol" => CameraStatusCauses.ProtocolError,
        "unreachable" => CameraStatusCauses.Unreachable,
        "tls" => CameraStatusCauses.TlsFailed,
        "certificate" => CameraStatusCauses.CertificateChanged,
        _ => CameraStatusCauses.UrlRefused,
    };
}
