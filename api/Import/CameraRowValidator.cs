using SafetyNet.Contracts;
using System.Text.RegularExpressions;
using SafetyNet.Api.Contracts;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Api.Import;

/// <summary>Checks one import row and, when it is good, turns it into a camera (the district derived from the position if missing).</summary>
public static partial class CameraRowValidator
{
    public static async Task<(CameraInfo? Camera, string? Error)> ValidateAsync(CameraRow row, ISpatialQueryGrain spatial, StreamUrlOptions streamUrls)
    {
        if (row.ParseError is not null) return (null, row.ParseError);
        if (string.IsNullOrWhiteSpace(row.Id) || !IdPattern().IsMatch(row.Id))
            return (null, "id is required: 1-64 letters, digits, '.', '_' or '-'.");
        if (row.Latitude is not { } lat || row.Longitude is not { } lon || !double.IsFinite(lat) || !double.IsFinite(lon))
            return (null, "lat and lon are required finite WGS84 degrees.");
        var position = new GeoPoint(lat, lon);
        var located = await spatial.DistrictOfAsync(position);
        if (located is null)
            return (null, $"Position ({lat}, {lon}) is outside every district served here; a camera must lie inside one.");
        var district = row.DistrictCode ?? located;
        if (district != located)
            return (null, $"The position lies in district {located}, but the row says {district}.");
        if (!EnumNames<CameraPurpose>.TryParse(row.Purpose, out var purpose) && !CameraListTerms.TryPurpose(row.Purpose, out purpose))
            return (null, $"purpose '{row.Purpose}' is not one of: {EnumNames<CameraPurpose>.Expected} (or {CameraListTerms.Expected}).");
        var status = CameraStatus.Online;
        if (row.Status is not null && !EnumNames<CameraStatus>.TryParse(row.Status, out status))
            return (null, $"status '{row.Status}' is not one of: {EnumNames<CameraStatus>.Expected}.");
        if (row.HeadingDegrees is { } heading && (!double.IsFinite(heading) || heading < 0 || heading >= 360))
            return (null, "heading must be in [0, 360) degrees.");
        if (row.FieldOfViewDegrees is { } fov && (!double.IsFinite(fov) || fov <= 0 || fov > 360))
            return (null, "fov must be in (0, 360] degrees.");
        if (StreamUrls.Refusal(row.StreamUrl, streamUrls) is { } refusal)
            return (null, $"stream_url: {refusal}");
        if (row.OnvifUrl is not null && StreamUrls.OnvifRefusal(row.OnvifUrl, streamUrls) is { } onvifRefusal)
            return (null, $"onvif_url: {onvifRefusal}");
        return (new CameraInfo(row.Id, district, position, purpose, status, row.StreamUrl!, row.HeadingDegrees, row.FieldOfViewDegrees,
            row.Ptz ?? false, row.Name, row.OnvifUrl), null);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();
}
