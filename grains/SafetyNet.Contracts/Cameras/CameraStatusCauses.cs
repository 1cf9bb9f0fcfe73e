using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Errors;

namespace SafetyNet.Contracts.Cameras;

/// <summary>Why a camera is offline (<see cref="CameraStatusReport.Cause"/>): codes a console words for its operator, as it does refusals.</summary>
public static class CameraStatusCauses
{
    /// <summary>The camera's name does not resolve, or nothing answered at its addresses in time.</summary>
    public const string Unreachable = "camera-unreachable";

    /// <summary>The camera sent the node to another address, which the node does not follow.</summary>
    public const string Redirected = "camera-redirected";

    /// <summary>The TLS handshake with the camera failed (not a changed certificate: that is <see cref="CertificateChanged"/>).</summary>
    public const string TlsFailed = "camera-tls-failed";

    /// <summary>The camera answered with RTSP the node cannot read.</summary>
    public const string ProtocolError = "camera-protocol-error";

    public const string CertificateChanged = RefusalReasons.CameraCertificateChanged;

    public const string UrlRefused = RefusalReasons.StreamUrlRefused;

    /// <summary>The node reached the camera but got no picture from it: wrong credentials, no such stream, a silent encoder.</summary>
    public const string NoPicture = RefusalReasons.CameraNoPicture;

    public const string MasksLost = DecisionReasons.MasksLost;
}
