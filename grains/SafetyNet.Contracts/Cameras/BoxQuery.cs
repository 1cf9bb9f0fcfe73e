namespace SafetyNet.Contracts.Cameras;

/// <summary>A page of cameras, optionally inside a bounding box and/or one district, ordered by id.</summary>
[GenerateSerializer, Immutable, Alias("box-query")]
public sealed record BoxQuery(
    [property: Id(0)] string? DistrictCode,
    [property: Id(1)] double? MinLatitude,
    [property: Id(2)] double? MinLongitude,
    [property: Id(3)] double? MaxLatitude,
    [property: Id(4)] double? MaxLongitude,
    [property: Id(5)] int Page,
    [property: Id(6)] int PageSize);

[GenerateSerializer, Immutable, Alias("camera-page")]
public sealed record CameraPage(
    [property: Id(0)] IReadOnlyList<CameraInfo> Items,
    [property: Id(1)] int Page,
    [property: Id(2)] int PageSize,
    [property: Id(3)] int Total);
