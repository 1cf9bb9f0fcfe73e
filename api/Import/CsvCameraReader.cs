using System.Globalization;
using System.Runtime.CompilerServices;

namespace SafetyNet.Api.Import;

/// <summary>
/// Streams cameras from CSV with a header row. Columns: id, lat, lon, purpose, stream_url (required), and district, status,
/// heading, fov, ptz, name, onvif_url (optional), in any order. Fields may be double-quoted.
/// </summary>
public static class CsvCameraReader
{
    private static readonly string[] Required = ["id", "lat", "lon", "purpose", "stream_url"];

    public static async IAsyncEnumerable<CameraRow> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var header = await reader.ReadLineAsync(cancellationToken);
        if (header is null) yield break;
        var columns = new Dictionary<string, int>();
        foreach (var (name, index) in Split(header).Select((name, index) => (name.Trim().ToLowerInvariant(), index)))
        {
            if (!columns.TryAdd(name, index))
                throw new InvalidDataException(name.Length == 0
                    ? "The CSV header has more than one empty column name; name every column once."
                    : $"The CSV header repeats the column '{name}'; name every column once.");
        }
        if (Required.FirstOrDefault(r => !columns.ContainsKey(r)) is { } missing)
            throw new InvalidDataException($"The CSV header lacks the required column '{missing}'. Required: {string.Join(", ", Required)}.");

        var line = 1;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var fields = Split(text);
            string? Field(string name) => columns.TryGetValue(name, out var i) && i < fields.Count && fields[i].Length > 0 ? fields[i].Trim() : null;
            string? error = null;
            double? Number(string name)
            {
                var value = Field(name);
                if (value is null) return null;
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
                error ??= $"'{name}' is not a number: '{value}'.";
                return null;
            }
            bool? Flag(string name)
            {
                var value = Field(name);
                if (value is null) return null;
                if (bool.TryParse(value, out var b)) return b;
                if (value is "1" or "0") return value == "1";
                error ??= $"'{name}' is not true/false: '{value}'.";
                return null;
            }
            yield return new CameraRow(line, Field("id"), Field("district"), Number("lat"), Number("lon"), Field("purpose"), Field("status"),
                Number("heading"), Number("fov"), Flag("ptz"), Field("stream_url"), Field("name"), error, Field("onvif_url"));
        }
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
