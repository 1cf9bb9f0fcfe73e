namespace SafetyNet.Contracts.Cameras;

/// <summary>
/// Every camera in the catalog as parallel columns, ordered by id, for drawing the whole city at once: what a map needs
/// (where, whose, what for, up or not) and nothing else — in particular no stream URL. <see cref="Districts"/> indexes
/// <see cref="DistrictCodes"/>; <see cref="Purposes"/> and <see cref="Statuses"/> hold enum values.
/// </summary>
/// <param name="Version">Which index snapshot this was built from; differs whenever the catalog changed (within one silo).</param>
[GenerateSerializer, Immutable, Alias("compact-camera-list")]
public sealed record CompactCameraList(
    [property: Id(0)] long Version,
    [property: Id(1)] string[] DistrictCodes,
    [property: Id(2)] string[] Ids,
    [property: Id(3)] double[] Latitudes,
    [property: Id(4)] double[] Longitudes,
    [property: Id(5)] byte[] Districts,
    [property: Id(6)] CameraPurpose[] Purposes,
    [property: Id(7)] CameraStatus[] Statuses);
