using Microsoft.AspNetCore.Http;
using SafetyNet.Contracts.Media;

namespace SafetyNet.Api.Media;

/// <summary>The evidence burnt into a snapshot, repeated as response headers (ids percent-encoded: a header holds only ASCII).</summary>
public static class SnapshotHeaders
{
    public const string Camera = "X-SafetyNet-Camera";
    public const string CapturedAt = "X-SafetyNet-Captured-At";
    public const string Viewer = "X-SafetyNet-Viewer";

    public static void Write(IHeaderDictionary headers, CameraSnapshot snapshot)
    {
        headers[Camera] = Uri.EscapeDataString(snapshot.CameraId);
        headers[CapturedAt] = CameraSnapshot.SeoulTime(snapshot.CapturedAt);
        headers[Viewer] = string.Join('/', snapshot.Viewer.Split('/', 2).Select(Uri.EscapeDataString));
        // An image that names its viewer is evidence: no shared cache keeps it.
        headers.CacheControl = "private, no-store";
    }
}
