using System.Globalization;

namespace SafetyNet.Contracts.Media;

/// <summary>
/// A JPEG with its evidence burnt in: which camera, when it was captured, and who viewed it. The same three travel as
/// response headers, so an image that leaves the platform still says where it came from.
/// </summary>
[GenerateSerializer, Immutable, Alias("camera-snapshot")]
public sealed record CameraSnapshot(
    [property: Id(0)] byte[] Jpeg,
    [property: Id(1)] string CameraId,
    [property: Id(2)] DateTimeOffset CapturedAt,
    [property: Id(3)] string Viewer)
{
    /// <summary>Seoul has kept UTC+9 without daylight saving since 1988, so a fixed offset needs no time-zone database.</summary>
    private static readonly TimeSpan SeoulOffset = TimeSpan.FromHours(9);

    /// <summary>ISO 8601 in Asia/Seoul, to the millisecond: e.g. 2026-05-01T14:03:22.125+09:00.</summary>
    public static string SeoulTime(DateTimeOffset at) =>
        at.ToOffset(SeoulOffset).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>The lines burnt into the picture.</summary>
    public static string[] Caption(string cameraId, DateTimeOffset capturedAt, string viewer) =>
        [$"CAM {cameraId}", SeoulTime(capturedAt), $"VIEWER {viewer}"];
}
