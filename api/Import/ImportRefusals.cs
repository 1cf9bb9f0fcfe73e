using SafetyNet.Contracts;
using SafetyNet.Contracts.Geo;
using static SafetyNet.Contracts.ReasonValues;

namespace SafetyNet.Api.Import;

/// <summary>
/// Every reason a whole camera list is refused (400, nothing imported), by code: the answer's <c>reason</c> and
/// <c>values</c> beside the English <c>detail</c>. The dashboard words each code in Korean and English (importRefusal.*
/// in its i18n files). A header line cut short by a quote never closed, or too long, is refused with its row code
/// (<see cref="ImportRejections"/>).
/// </summary>
public static class ImportRefusals
{
    public const string HeaderUndecodable = "header-undecodable";
    public const string HeaderColumnRepeated = "header-column-repeated";
    public const string HeaderColumnUnnamed = "header-column-unnamed";
    public const string HeaderColumnMissing = "header-column-missing";
    public const string StandardDataWithoutStreams = "standard-data-without-streams";
    public const string NotAFeatureCollection = "not-a-feature-collection";
    public const string CrsUnknown = "crs-unknown";

    public static ImportRejection Undecodable(string charset, string hint) =>
        new(HeaderUndecodable, $"The CSV header holds bytes that are not valid {charset}. {hint}", Values(("charset", charset)));

    public static ImportRejection Repeated(string column, string asWritten) => new(HeaderColumnRepeated,
        $"The CSV header repeats the column '{EchoedText.Cut(column)}'{asWritten}; name every column once.", Values(("column", EchoedText.Cut(column))));

    public static ImportRejection Unnamed() =>
        new(HeaderColumnUnnamed, "The CSV header has more than one empty column name; name every column once.", Values());

    public static ImportRejection Missing(string column, IEnumerable<string> required) =>
        new(HeaderColumnMissing, $"The CSV header lacks the required column '{column}'. Required: {string.Join(", ", required)}.",
            Values(("column", column), ("required", string.Join(", ", required))));

    public static ImportRejection StandardData(IEnumerable<string> missing) => new(StandardDataWithoutStreams,
        $"This is the national CCTV standard data (전국CCTV표준데이터), which says where cameras are but not how to reach them: it lacks {string.Join(" and ", missing)}. "
        + "Add each camera's id and stream_url (the RTSP or HTTP address the relay pulls, from the district's video management system) as columns, and keep the others.",
        Values(("missing", string.Join(", ", missing))));

    public static ImportRejection UnknownCrs(string name) =>
        new(CrsUnknown, GeoJsonCrs.NotReadHere(name), Values(("crs", EchoedText.Cut(name)), ("supported", GeoJsonCrs.Supported)));

    public static ImportRejection NotCollection() =>
        new(NotAFeatureCollection, "The body is not a GeoJSON FeatureCollection with a 'features' array.", Values());
}
