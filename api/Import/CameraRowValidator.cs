using SafetyNet.Contracts;
using System.Text.RegularExpressions;
using SafetyNet.Api.Contracts;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Api.Import;

/// <summary>Checks one import row and, when it is good, turns it into a camera (the district derived from the position if missing).</summary>
public static partial class CameraRowValidator
{
    public static async Task<(CameraInfo? Camera, ImportRejection? Rejection)> ValidateAsync(CameraRow row, ISpatialQueryGrain spatial, StreamUrlOptions streamUrls)
    {
        if (row.Rejection is not null) return (null, row.Rejection);
        if (string.IsNullOrWhiteSpace(row.Id) || !IdPattern().IsMatch(row.Id))
            return (null, ImportRejections.BadId(row.Id));
        if (row.Latitude is not { } lat || row.Longitude is not { } lon || !double.IsFinite(lat) || !double.IsFinite(lon))
            return (null, ImportRejections.NoCoordinates());
        var position = new GeoPoint(lat, lon);
        var located = await spatial.DistrictOfAsync(position);
        if (located is null)
            return (null, ImportRejections.Outside(lat, lon));
        var district = row.DistrictCode ?? located;
        if (district != located)
            return (null, ImportRejections.Mismatch(located, district));
        if (!EnumNames<CameraPurpose>.TryParse(row.Purpose, out var purpose) && !CameraListTerms.TryPurpose(row.Purpose, out purpose))
            return (null, ImportRejections.Purpose(row.Purpose, $"{EnumNames<CameraPurpose>.Expected} (or {CameraListTerms.Expected})"));
        var status = CameraStatus.Online;
        if (row.Status is not null && !EnumNames<CameraStatus>.TryParse(row.Status, out status))
            return (null, ImportRejections.Status(row.Status, EnumNames<CameraStatus>.Expected));
        if (row.HeadingDegrees is { } heading && (!double.IsFinite(heading) || heading < 0 || heading >= 360))
            return (null, ImportRejections.Heading(heading));
        if (row.FieldOfViewDegrees is { } fov && (!double.IsFinite(fov) || fov <= 0 || fov > 360))
            return (null, ImportRejections.FieldOfView(fov));
        if (StreamUrls.Refusal(row.StreamUrl, streamUrls) is { } refusal)
            return (null, ImportRejections.StreamUrl(refusal));
        if (row.OnvifUrl is not null && StreamUrls.OnvifRefusal(row.OnvifUrl, streamUrls) is { } onvifRefusal)
            return (null, ImportRejections.OnvifUrl(onvifRefusal));
        return (new CameraInfo(row.Id, district, position, purpose, status, row.StreamUrl!, row.HeadingDegrees, row.FieldOfViewDegrees,
            row.Ptz ?? false, row.Name, row.OnvifUrl), null);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();
}
