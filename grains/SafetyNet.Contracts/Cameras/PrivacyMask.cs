namespace SafetyNet.Contracts.Cameras;

/// <summary>A point over the camera's frame, normalized: (0,0) top-left, (1,1) bottom-right, whatever the resolution.</summary>
[GenerateSerializer, Immutable, Alias("mask-point")]
public sealed record MaskPoint([property: Id(0)] double X, [property: Id(1)] double Y);

/// <summary>One privacy-mask polygon (say, a home's window); its inside is never shown to a viewer without the unmasked right.</summary>
[GenerateSerializer, Immutable, Alias("mask-polygon")]
public sealed record MaskPolygon([property: Id(0)] MaskPoint[] Points);

/// <summary>A camera's privacy masks as stored: none means the camera is served as it is, by stream copy.</summary>
[GenerateSerializer, Immutable, Alias("camera-masks")]
public sealed record CameraMasks(
    [property: Id(0)] string CameraId,
    [property: Id(1)] MaskPolygon[] Polygons,
    [property: Id(2)] DateTimeOffset? UpdatedAt,
    [property: Id(3)] string? UpdatedBy)
{
    public bool Masked => Polygons.Length > 0;
}
