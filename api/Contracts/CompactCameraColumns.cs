using SafetyNet.Contracts;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Api.Contracts;

/// <summary>
/// GET /api/v1/cameras/compact: camera i is ids[i] at (lat[i], lon[i]) in districtCodes[district[i]], for
/// purposeNames[purpose[i]], now statusNames[status[i]]. Coordinates are rounded to 6 decimals (about 0.1 m).
/// </summary>
public sealed record CompactCameraColumns(
    int Count,
    string[] DistrictCodes,
    string[] PurposeNames,
    string[] StatusNames,
    string[] Ids,
    double[] Lat,
    double[] Lon,
    int[] District,
    int[] Purpose,
    int[] Status)
{
    private const int CoordinateDecimals = 6;

    public static CompactCameraColumns From(CompactCameraList list) => new(
        list.Ids.Length,
        list.DistrictCodes,
        Enum.GetValues<CameraPurpose>().Select(EnumNames<CameraPurpose>.NameOf).ToArray(),
        Enum.GetValues<CameraStatus>().Select(EnumNames<CameraStatus>.NameOf).ToArray(),
        list.Ids,
        list.Latitudes.Select(v => Math.Round(v, CoordinateDecimals)).ToArray(),
        list.Longitudes.Select(v => Math.Round(v, CoordinateDecimals)).ToArray(),
        list.Districts.Select(d => (int)d).ToArray(),
        IndexesOf(list.Purposes),
        IndexesOf(list.Statuses));

    private static int[] IndexesOf<T>(T[] values) where T : struct, Enum
    {
        var index = Enum.GetValues<T>().Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i);
        return values.Select(v => index[v]).ToArray();
    }
}
