using System.Globalization;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Cameras;
using static SafetyNet.Contracts.ReasonValues;

namespace SafetyNet.Api.Import;

/// <summary>
/// Every reason a row of a camera list is rejected, by code. The dashboard words each code in Korean and English from
/// its values (importRejection.* in its i18n files); README's import section lists them.
/// </summary>
public static class ImportRejections
{
    public const string QuoteUnclosed = "quote-unclosed";
    public const string RecordTooLong = "record-too-long";
    public const string BytesUndecodable = "bytes-undecodable";
    public const string NotANumber = "not-a-number";
    public const string NotTrueOrFalse = "not-true-or-false";
    public const string FeatureNotObject = "feature-not-object";
    public const string GeometryNotPoint = "geometry-not-point";
    public const string CoordinatesNotDegrees = "coordinates-not-degrees";
    public const string IdInvalid = "id-invalid";
    public const string CoordinatesMissing = "coordinates-missing";
    public const string OutsideDistrict = "outside-district";
    public const string DistrictMismatch = "district-mismatch";
    public const string PurposeUnmapped = "purpose-unmapped";
    public const string StatusUnknown = "status-unknown";
    public const string HeadingOutOfRange = "heading-out-of-range";
    public const string FovOutOfRange = "fov-out-of-range";
    public const string StreamUrlRefused = "stream-url-refused";
    public const string OnvifUrlRefused = "onvif-url-refused";
    public const string DistrictNotYours = "district-not-yours";
    public const string IdRepeated = "id-repeated";
    public const string CameraInOtherDistrict = "camera-in-other-district";

    public static ImportRejection QuoteNeverClosed(int line) => new(QuoteUnclosed,
        $"The quoted field opened in the record starting on line {line} is never closed; the lines after it were not read.", Values(("line", Text(line))));

    public static ImportRejection TooLong(int line, int maxChars, bool insideQuotes) => new(RecordTooLong,
        $"The record starting on line {line} is longer than {maxChars:N0} characters" + (insideQuotes ? " inside a quoted field that is never closed" : "")
        + "; the lines after it were not read.", Values(("line", Text(line)), ("maxChars", maxChars.ToString("N0", CultureInfo.InvariantCulture))));

    public static ImportRejection Undecodable(string charset, string hint) =>
        new(BytesUndecodable, $"The row holds bytes that are not valid {charset}. {hint}", Values(("charset", charset)));

    public static ImportRejection NotNumber(string column, string value) =>
        new(NotANumber, $"'{column}' is not a number: '{EchoedText.Cut(value)}'.", Values(("column", column), ("value", EchoedText.Cut(value))));

    public static ImportRejection NotFlag(string column, string value) =>
        new(NotTrueOrFalse, $"'{column}' is not true/false: '{EchoedText.Cut(value)}'.", Values(("column", column), ("value", EchoedText.Cut(value))));

    public static ImportRejection NotObject() => new(FeatureNotObject, "The feature is not an object.", Values());

    public static ImportRejection NotPoint() =>
        new(GeometryNotPoint, "The geometry must be a Point with numeric [longitude, latitude] coordinates.", Values());

    public static ImportRejection NotDegrees(double x, double y, string reason) => new(CoordinatesNotDegrees, reason, Values(("x", Text(x)), ("y", Text(y))));

    public static ImportRejection BadId(string? id) =>
        new(IdInvalid, "id is required: 1-64 letters, digits, '.', '_' or '-'.", Values(("id", EchoedText.Cut(id ?? ""))));

    public static ImportRejection NoCoordinates() => new(CoordinatesMissing, "lat and lon are required finite WGS84 degrees.", Values());

    public static ImportRejection Outside(double lat, double lon) => new(OutsideDistrict,
        $"Position ({lat}, {lon}) is outside every district served here; a camera must lie inside one.", Values(("lat", Text(lat)), ("lon", Text(lon))));

    public static ImportRejection Mismatch(string located, string given) => new(DistrictMismatch,
        $"The position lies in district {located}, but the row says {given}.", Values(("located", located), ("given", given)));

    public static ImportRejection Purpose(string? purpose, string expected) => new(PurposeUnmapped,
        $"purpose '{EchoedText.Cut(purpose ?? "")}' is not one of: {expected}.", Values(("purpose", EchoedText.Cut(purpose ?? "")), ("expected", expected)));

    public static ImportRejection Status(string status, string expected) =>
        new(StatusUnknown, $"status '{EchoedText.Cut(status)}' is not one of: {expected}.", Values(("status", EchoedText.Cut(status)), ("expected", expected)));

    public static ImportRejection Heading(double heading) =>
        new(HeadingOutOfRange, "heading must be in [0, 360) degrees.", Values(("heading", Text(heading))));

    public static ImportRejection FieldOfView(double fov) => new(FovOutOfRange, "fov must be in (0, 360] degrees.", Values(("fov", Text(fov))));

    public static ImportRejection StreamUrl(UrlRefusal refusal) => new(StreamUrlRefused, $"stream_url: {refusal.Reason}", RuleValues(refusal));

    public static ImportRejection OnvifUrl(UrlRefusal refusal) => new(OnvifUrlRefused, $"onvif_url: {refusal.Reason}", RuleValues(refusal));

    public static ImportRejection NotYourDistrict(string district) =>
        new(DistrictNotYours, $"You may import only into your own district, not {district}.", Values(("district", district)));

    public static ImportRejection Repeated(string id) => new(IdRepeated, $"Camera id '{id}' appears earlier in this file.", Values(("id", id)));

    public static ImportRejection InOtherDistrict(string id, string district) => new(CameraInOtherDistrict,
        $"Camera '{id}' is registered in district {district}; moving a camera between districts is not an import.", Values(("id", id), ("district", district)));

    // The URL rule's code and values, and its English sentence for a client that does not know the code.
    private static IReadOnlyDictionary<string, string> RuleValues(UrlRefusal refusal) => refusal.ValuesWith(("rule", refusal.Code), ("detail", refusal.Reason));

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
