using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using SafetyNet.Contracts;

namespace SafetyNet.Api.Import;

/// <summary>
/// Streams cameras from CSV with a header row. Columns: id, lat, lon, purpose, stream_url (required), and district, status,
/// heading, fov, ptz, name, onvif_url (optional), in any order; latitude/longitude and the national standard data's Korean
/// names for position and purpose are read too (<see cref="CameraListTerms"/>). Records follow RFC 4180 (<see cref="CsvRecords"/>).
/// A record holding bytes the body's charset cannot decode is rejected by line, never stored with replacement characters.
/// </summary>
public static class CsvCameraReader
{
    private static readonly string[] Required = ["id", "lat", "lon", "purpose", "stream_url"];

    /// <summary>
    /// The media types a camera list comes as, with their delimiter: Windows hands a browser a .csv file as
    /// application/vnd.ms-excel; Excel's "Unicode text" (UTF-16, with a byte order mark) is tab-separated.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, char> MediaTypes = new Dictionary<string, char>(StringComparer.OrdinalIgnoreCase)
    {
        ["text/csv"] = ',',
        ["application/csv"] = ',',
        ["text/comma-separated-values"] = ',',
        ["application/vnd.ms-excel"] = ',',
        ["text/tab-separated-values"] = '\t',
    };

    public static async IAsyncEnumerable<CameraRow> ReadAsync(TextReader reader, string charset, char delimiter = ',',
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var records = CsvRecords.ReadAsync(reader, delimiter, cancellationToken).GetAsyncEnumerator(cancellationToken);
        if (!await records.MoveNextAsync()) yield break;
        var header = records.Current;
        charset = CharsetRead(reader, charset);
        if (header.Error is not null) throw new ImportRefusedException(header.Error);
        if (header.Fields.Any(Undecodable)) throw new ImportRefusedException(ImportRefusals.Undecodable(charset, Hint(charset)));
        var columns = new Dictionary<string, int>();
        foreach (var (written, index) in header.Fields.Select((name, index) => (name.Trim(), index)))
        {
            var name = CameraListTerms.ColumnName(written).ToLowerInvariant();
            if (!columns.TryAdd(name, index))
                throw new ImportRefusedException(name.Length == 0
                    ? ImportRefusals.Unnamed()
                    : ImportRefusals.Repeated(name, TwoNames(header.Fields[columns[name]].Trim(), written)));
        }
        var missing = Required.Where(r => !columns.ContainsKey(r)).ToArray();
        if (missing.Length > 0)
            throw new ImportRefusedException(CameraListTerms.IsStandardData(header.Fields)
                ? ImportRefusals.StandardData(missing)
                : ImportRefusals.Missing(missing[0], Required));

        while (await records.MoveNextAsync())
        {
            var record = records.Current;
            var fields = record.Fields;
            if (record.Error is not null)
            {
                yield return Rejected(record.Line, record.Error);
                yield break;
            }
            if (fields.All(string.IsNullOrWhiteSpace)) continue;
            if (fields.Any(Undecodable))
            {
                yield return Rejected(record.Line, ImportRejections.Undecodable(charset, Hint(charset)));
                continue;
            }
            string? Field(string name) => columns.TryGetValue(name, out var i) && i < fields.Count && fields[i].Trim() is { Length: > 0 } value ? value : null;
            ImportRejection? error = null;
            double? Number(string name)
            {
                var value = Field(name);
                if (value is null) return null;
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
                error ??= ImportRejections.NotNumber(name, value);
                return null;
            }
            bool? Flag(string name)
            {
                var value = Field(name);
                if (value is null) return null;
                if (bool.TryParse(value, out var b)) return b;
                if (value is "1" or "0") return value == "1";
                error ??= ImportRejections.NotFlag(name, value);
                return null;
            }
            yield return new CameraRow(record.Line, Field("id"), Field("district"), Number("lat"), Number("lon"), Field("purpose"), Field("status"),
                Number("heading"), Number("fov"), Flag("ptz"), Field("stream_url"), Field("name"), error, Field("onvif_url"));
        }
    }

    /// <summary>The charset the reader decodes in once it has read the start: a byte order mark overrides the one it was given.</summary>
    public static string CharsetRead(TextReader reader, string charset) => reader is StreamReader { CurrentEncoding: UnicodeEncoding } ? "UTF-16" : charset;

    private static string TwoNames(string first, string second) =>
        first.Equals(second, StringComparison.OrdinalIgnoreCase) ? "" : $" (as '{EchoedText.Cut(first)}' and as '{EchoedText.Cut(second)}')";

    // The decoder writes U+FFFD for every byte sequence the charset cannot decode.
    private static bool Undecodable(string field) => field.Contains('\uFFFD');

    private static string Hint(string charset) => charset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase)
        ? "A file saved by Korean Excel as 'CSV (comma delimited)' is in CP949: send it as 'text/csv; charset=euc-kr', or save it as 'CSV UTF-8'."
        : "Check the file's encoding, and send a UTF-8 file as 'text/csv' without a charset.";

    private static CameraRow Rejected(int line, ImportRejection rejection) =>
        new(line, null, null, null, null, null, null, null, null, null, null, null, rejection);
}
