using System.Runtime.CompilerServices;
using System.Text.Json;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Api.Import;

/// <summary>
/// Reads cameras from a GeoJSON FeatureCollection of Points. Properties: id, purpose, stream_url (required); district,
/// status, heading, fov, ptz, name, onvif_url (optional). The feature's own "id" is used when properties lack one.
/// Positions in a Korean grid are converted when the file's "crs" names it (<see cref="GeoJsonCrs"/>); the standard
/// data's Korean property names are read as their columns are in CSV (<see cref="CameraListTerms"/>).
/// </summary>
public static class GeoJsonCameraReader
{
    public static async IAsyncEnumerable<CameraRow> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || !IsText(type, "FeatureCollection")
            || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            throw new ImportRefusedException(ImportRefusals.NotCollection());
        var crs = GeoJsonCrs.NameIn(root) is not { } name ? GeoJsonCrs.Wgs84
            : GeoJsonCrs.Named(name) ?? throw new ImportRefusedException(ImportRefusals.UnknownCrs(name));

        var index = 0;
        foreach (var feature in features.EnumerateArray())
        {
            yield return Read(index++, feature, crs);
        }
    }

    private static CameraRow Read(int index, JsonElement feature, GeoJsonCrs crs)
    {
        if (feature.ValueKind != JsonValueKind.Object)
            return Failed(index, ImportRejections.NotObject());
        if (!feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind != JsonValueKind.Object
            || !geometry.TryGetProperty("type", out var gtype) || !IsText(gtype, "Point")
            || !geometry.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array
            || coordinates.GetArrayLength() < 2 || coordinates[0].ValueKind != JsonValueKind.Number || coordinates[1].ValueKind != JsonValueKind.Number)
            return Failed(index, ImportRejections.NotPoint());
        var (x, y) = (coordinates[0].GetDouble(), coordinates[1].GetDouble());
        if (crs.IsGeographic && GeoJsonCrs.NotDegrees(x, y) is { } notDegrees) return Failed(index, ImportRejections.NotDegrees(x, y, notDegrees));
        var position = crs.ToWgs84(x, y);
        var props = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        ImportRejection? error = null;
        string? Text(string name) => props.ValueKind == JsonValueKind.Object && (props.TryGetProperty(name, out var v) || TryAlias(props, name, out v))
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
            : null;
        double? Number(string name)
        {
            if (props.ValueKind != JsonValueKind.Object || !props.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.Number) return v.GetDouble();
            error ??= ImportRejections.NotNumber(name, v.GetRawText());
            return null;
        }
        bool? Flag(string name)
        {
            if (props.ValueKind != JsonValueKind.Object || !props.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            error ??= ImportRejections.NotFlag(name, v.GetRawText());
            return null;
        }
        var id = Text("id") ?? (feature.TryGetProperty("id", out var fid) && fid.ValueKind is JsonValueKind.String or JsonValueKind.Number ? fid.ToString() : null);
        return new CameraRow(index, id, Text("district"), position.Latitude, position.Longitude, Text("purpose"), Text("status"),
            Number("heading"), Number("fov"), Flag("ptz"), Text("stream_url"), Text("name"), error, Text("onvif_url"));
    }

    // A list converted from the national standard data keeps its Korean property names (설치목적구분 for purpose).
    private static bool TryAlias(JsonElement properties, string name, out JsonElement value)
    {
        foreach (var property in properties.EnumerateObject())
        {
            if (CameraListTerms.ColumnName(property.Name) == name)
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>A GeoJSON "type" member is a string; anything else (a number, an object) is simply not the expected type.</summary>
    private static bool IsText(JsonElement element, string expected) =>
        element.ValueKind == JsonValueKind.String && element.ValueEquals(expected);

    private static CameraRow Failed(int index, ImportRejection error) =>
        new(index, null, null, null, null, null, null, null, null, null, null, null, error);
}
