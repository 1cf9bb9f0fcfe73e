using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Api.Contracts;

public sealed record MaskBody(MaskPolygon[]? Polygons);

/// <summary>A camera's masks as the caller may see them: <see cref="Polygons"/> is null for callers who may only know that it is masked.</summary>
public sealed record MaskView(string CameraId, bool Masked, int PolygonCount, MaskPolygon[]? Polygons, DateTimeOffset? UpdatedAt, string? UpdatedBy)
{
    public static MaskView From(CameraMasks masks, bool mayReadPolygons) => new(masks.CameraId, masks.Masked, masks.Polygons.Length,
        mayReadPolygons ? masks.Polygons : null, masks.UpdatedAt, mayReadPolygons ? masks.UpdatedBy : null);
}
