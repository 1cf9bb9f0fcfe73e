using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;

namespace SafetyNet.Api.Interop;

/// <summary>
/// Reads an OASIS CAP 1.2 alert into a disaster-response incident: the area's circle (or the polygon's centroid and
/// farthest vertex) becomes position and radius, the identifier the external reference, severity the priority.
/// DTDs are refused (no external entities).
/// </summary>
public static class CapAlertParser
{
    public static readonly XNamespace Cap = "urn:oasis:names:tc:emergency:cap:1.2";
    private const double MaxRadiusMeters = 5000;
    private const double MinRadiusMeters = 50;
    private const int MaxReferences = 100;

    /// <summary>
    /// Reads an alert as sent: in the charset its media type names, else the one its XML declaration names (UTF-8 or
    /// EUC-KR, <see cref="BodyCharsets.OfXml"/>), or in UTF-8 when it is UTF-8 declared EUC-KR (<see cref="MislabelledUtf8"/>).
    /// Bytes that charset cannot decode are refused, never read as U+FFFD.
    /// </summary>
    public static CapMessage Parse(byte[] body, string? mediaTypeCharset, IServedDistricts served, DateTimeOffset receivedAt, ILogger logger)
    {
        var named = BodyCharsets.OfXml(mediaTypeCharset, body);
        var declared = BodyCharsets.Canonical(named)
            ?? throw new CapAlertException($"The alert is declared as encoding '{EchoedText.Cut(named)}'; CAP alerts are read in UTF-8 or EUC-KR.");
        var charset = MislabelledUtf8.ReadAs(declared, body);
        if (charset != declared)
            logger.LogWarning("A CAP alert declared as {Declared} ('{Named}') is valid UTF-8 with Korean text; read as {Charset}", declared, named, charset);
        var start = charset == BodyCharsets.Utf8 && body.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        try
        {
            return Parse(BodyCharsets.Strict(charset).GetString(body, start, body.Length - start), served, receivedAt);
        }
        catch (DecoderFallbackException e)
        {
            throw new CapAlertException($"The alert is not valid {charset}: the bytes at offset {start + e.Index} cannot be decoded. Send the charset the alert is written in.");
        }
    }

    private static CapMessage Parse(string xml, IServedDistricts served, DateTimeOffset receivedAt)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new CapAlertException($"The body is not well-formed XML: {e.Message}");
        }
        var alert = document.Root;
        if (alert is null || alert.Name != Cap + "alert")
            throw new CapAlertException("The root element must be <alert> in the CAP 1.2 namespace urn:oasis:names:tc:emergency:cap:1.2.");
        var identifier = Identifier(Required(alert, "identifier"), "<identifier>");
        Required(alert, "sender");
        Required(alert, "sent");
        var status = Required(alert, "status");
        if (status is not ("Actual" or "Exercise"))
            throw new CapAlertException($"CAP status '{EchoedText.Cut(status)}' is not supported; only Actual and Exercise alerts open incidents.");
        var msgType = Required(alert, "msgType");
        if (msgType is not ("Alert" or "Update" or "Cancel"))
            throw new CapAlertException($"CAP msgType '{EchoedText.Cut(msgType)}' is not supported; Alert opens an incident, Update changes it, Cancel closes it.");
        var references = References(alert);
        // Each reference is looked up; a message naming thousands would make one request thousands of queries.
        if (references.Count > MaxReferences)
            throw new CapAlertException($"The message references {references.Count} alerts; at most {MaxReferences} are read.");
        if (msgType is "Update" or "Cancel" && references.Count == 0)
            throw new CapAlertException($"A CAP {msgType} names the alerts it changes in <references> ('sender,identifier,sent' entries); this one names none.");

        // One <info> block per language is usual in Korean alerts (ko-KR, en-US), each with the same area; blocks may also
        // give different areas or severities. The incident covers every block's areas at the highest severity any gives.
        var infos = alert.Elements(Cap + "info").ToArray();
        if (msgType == "Cancel") return new CapMessage(identifier, CapMessageKind.End, references, null, CloseReason: "cap-cancel");
        if (msgType == "Update" && infos.Length > 0 && infos.All(info => info.Elements(Cap + "responseType").Any(r => r.Value == "AllClear")))
            return new CapMessage(identifier, CapMessageKind.End, references, null, CloseReason: "cap-all-clear");
        if (infos.Length == 0) throw new CapAlertException("The alert has no <info> block.");
        var areas = infos.SelectMany(info => info.Elements(Cap + "area")).ToArray();
        if (areas.Length == 0) throw new CapAlertException("No <info> block of the alert has an <area>.");
        var shown = infos.FirstOrDefault(info => info.Element(Cap + "language")?.Value.StartsWith("ko", StringComparison.OrdinalIgnoreCase) == true) ?? infos[0];
        var headline = shown.Element(Cap + "headline")?.Value;
        var description = shown.Element(Cap + "description")?.Value;
        var priority = infos.Min(info => info.Element(Cap + "severity")?.Value switch
        {
            "Extreme" => 1,
            "Severe" => 2,
            "Moderate" => 3,
            "Minor" => 4,
            _ => 5,
        });
        var shapes = areas.SelectMany(area => ShapesOf(area, served)).Distinct().ToArray();
        if (shapes.Length == 0)
        {
            var wholes = areas.Where(NamesAWholeProvince).ToArray();
            if (wholes.Length == 0)
                throw new CapAlertException("The <area> has no <circle> or <polygon>, and neither its <geocode> (an administrative code) nor its <areaDesc> names a district served here; SafetyNet needs a place.");
            // Every whole area the alert names (heavy rain for Seoul and Gyeonggi), as the Korean block words them.
            var worded = wholes.Any(a => a.Parent == shown) ? wholes.Where(a => a.Parent == shown) : wholes;
            var area = string.Join(", ", worded.Select(whole => whole.Element(Cap + "areaDesc")?.Value is { Length: > 0 } described ? described
                : whole.Elements(Cap + "geocode").Select(g => g.Element(Cap + "value")?.Value).FirstOrDefault() ?? "").Where(text => text.Length > 0).Distinct());
            var notice = new AlertNotice(identifier, EchoedText.Cut(area), Cut(headline), Cut(shown.Element(Cap + "event")?.Value), priority, receivedAt,
                ExpiresAt(infos, receivedAt), [identifier]);
            return new CapMessage(identifier, CapMessageKind.Notice, references, null, Notice: notice);
        }
        var (center, radius) = Covering(shapes);
        var areaDescription = string.Join(", ", areas.Where(a => a.Parent == shown || !shown.Elements(Cap + "area").Any())
            .Select(a => a.Element(Cap + "areaDesc")?.Value).Where(d => !string.IsNullOrWhiteSpace(d)).Distinct());
        var incident = new OpenIncident(IncidentType.DisasterResponse, center, priority, CapMessage.ExternalReference(identifier),
            areaDescription.Length > 0 ? areaDescription : null, string.Join(" — ", new[] { headline, description }.Where(s => !string.IsNullOrWhiteSpace(s))), null, radius);
        return new CapMessage(identifier, msgType == "Update" ? CapMessageKind.Update : CapMessageKind.Alert, references, incident);
    }

    /// <summary>The latest <c>&lt;expires&gt;</c> any block gives, within <see cref="AlertNotice.MaxLifetime"/>; a day when none gives one.</summary>
    private static DateTimeOffset ExpiresAt(XElement[] infos, DateTimeOffset receivedAt)
    {
        var given = infos.Select(info => DateTimeOffset.TryParse(info.Element(Cap + "expires")?.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : (DateTimeOffset?)null)
            .Max();
        var expires = given ?? receivedAt + AlertNotice.DefaultLifetime;
        return expires > receivedAt + AlertNotice.MaxLifetime ? receivedAt + AlertNotice.MaxLifetime : expires;
    }

    private static string? Cut(string? text) => text is null ? null : EchoedText.Cut(text);

    /// <summary>The identifiers of the messages <c>&lt;references&gt;</c> names: space-separated 'sender,identifier,sent' entries.</summary>
    private static IReadOnlyList<string> References(XElement alert)
    {
        var text = alert.Element(Cap + "references")?.Value ?? "";
        return text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(entry =>
        {
            var parts = entry.Split(',');
            return parts.Length == 3 && parts[1].Length > 0
                ? Identifier(parts[1], "A <references> entry's identifier")
                : throw new CapAlertException($"<references> holds '{EchoedText.Cut(entry)}', not a 'sender,identifier,sent' entry.");
        }).Distinct().ToArray();
    }

    /// <summary>
    /// The places an area gives: each of its circles and polygons (a polygon as its centre and farthest vertex). An area
    /// with neither, as Korean alerts often are, names districts instead: by administrative code in a
    /// <c>&lt;geocode&gt;</c> (the first five digits of a ten-digit code) or by name in <c>&lt;areaDesc&gt;</c>
    /// ("서울특별시 관악구"), each district giving its centroid and equivalent disc. An area naming no district served here
    /// gives nothing: an alert may also cover places outside the region.
    /// </summary>
    private static IEnumerable<(GeoPoint Center, double Radius)> ShapesOf(XElement area, IServedDistricts served)
    {
        var circles = area.Elements(Cap + "circle").Select(circle => CircleOf(circle.Value));
        var polygons = area.Elements(Cap + "polygon").Select(polygon => PolygonOf(polygon.Value));
        var drawn = circles.Concat(polygons).ToArray();
        return drawn.Length > 0 ? drawn : DistrictsOf(area, served);
    }

    private static (GeoPoint Center, double Radius) CircleOf(string circle)
    {
        var parts = circle.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var km) || !(km >= 0) || !double.IsFinite(km))
            throw new CapAlertException($"<circle> must be 'lat,lon radiusKm', got '{EchoedText.Cut(circle)}'.");
        return (Point(parts[0]), km * 1000);
    }

    private static (GeoPoint Center, double Radius) PolygonOf(string polygon)
    {
        var vertices = polygon.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Point).ToList();
        if (vertices.Count < 4 || vertices[0] != vertices[^1])
            throw new CapAlertException("<polygon> must have at least four 'lat,lon' pairs, the first equal to the last.");
        vertices.RemoveAt(vertices.Count - 1);
        var center = new GeoPoint(vertices.Average(v => v.Latitude), vertices.Average(v => v.Longitude));
        return (center, vertices.Max(v => GeoMath.DistanceMeters(center, v)));
    }

    private static IEnumerable<(GeoPoint Center, double Radius)> DistrictsOf(XElement area, IServedDistricts served)
    {
        // "서울특별시 관악구 신림동" names 관악구 by one of its words.
        string? DescribedAs(string part) => served.Named(part) ?? part.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(served.Named).FirstOrDefault(code => code is not null);
        var byCode = area.Elements(Cap + "geocode").Select(geocode => served.WithAdministrativeCode(geocode.Element(Cap + "value")?.Value ?? ""));
        var byName = (area.Element(Cap + "areaDesc")?.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(DescribedAs);
        return byCode.Concat(byName).OfType<string>().Distinct().Select(code => served.PlaceOf(code)!.Value)
            .Select(district => (district.Centroid, Math.Sqrt(district.AreaKm2 / Math.PI) * 1000));
    }

    /// <summary>
    /// One incident covers every place the alert gives: centred among them, reaching the farthest edge, within the
    /// incident's bounds (a point, as CAP gives one with a circle of radius 0, still covers the cameras that see it).
    /// </summary>
    private static (GeoPoint Center, double Radius) Covering((GeoPoint Center, double Radius)[] shapes)
    {
        var center = new GeoPoint(shapes.Average(s => s.Center.Latitude), shapes.Average(s => s.Center.Longitude));
        var reach = shapes.Max(s => GeoMath.DistanceMeters(center, s.Center) + s.Radius);
        return (center, Math.Clamp(reach, MinRadiusMeters, MaxRadiusMeters));
    }

    /// <summary>
    /// Whether an area stands for a whole metropolitan city or province, as Korean alerts give one: a geocode at that
    /// level (1100000000: the last digits zero past the first two), an areaDesc saying "전체" or "전역" (all of), or one
    /// naming only such a level ("서울특별시", "경기도").
    /// </summary>
    // The provinces by name (a word merely ending in 도 may be an island or a neighbourhood: 여의도), and Seoul's short names.
    private static readonly HashSet<string> Provinces = ["경기도", "강원도", "충청북도", "충청남도", "전라북도", "전라남도", "경상북도", "경상남도", "제주도", "서울", "서울시"];

    private static bool NamesAWholeProvince(XElement area)
    {
        static bool ProvinceLevel(string word) => word.EndsWith("특별시") || word.EndsWith("광역시") || word.EndsWith("특별자치시") || word.EndsWith("특별자치도")
            || Provinces.Contains(word);
        var words = (area.Element(Cap + "areaDesc")?.Value ?? "").Split((char[])[' ', ','], StringSplitOptions.RemoveEmptyEntries);
        return area.Elements(Cap + "geocode").Any(geocode => geocode.Element(Cap + "value")?.Value is { Length: >= 5 } code && code.All(char.IsAsciiDigit) && code[2..].All(digit => digit == '0'))
            || words.Any(word => word is "전체" or "전역")
            || (words.Length > 0 && words.All(ProvinceLevel));
    }

    private static GeoPoint Point(string pair)
    {
        var xy = pair.Split(',');
        if (xy.Length != 2 || !double.TryParse(xy[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            || !double.TryParse(xy[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon) || !double.IsFinite(lat) || !double.IsFinite(lon))
            throw new CapAlertException($"'{EchoedText.Cut(pair)}' is not a 'lat,lon' pair.");
        return new GeoPoint(lat, lon);
    }

    // An identifier is stored as the reference later messages find the incident by.
    private static string Identifier(string identifier, string what) => identifier.Length <= CapMessage.MaxIdentifierLength ? identifier
        : throw new CapAlertException($"{what} is at most {CapMessage.MaxIdentifierLength} characters; it has {identifier.Length:N0}.");

    private static string Required(XElement alert, string name) =>
        alert.Element(Cap + name)?.Value is { Length: > 0 } value ? value : throw new CapAlertException($"The alert lacks the required <{name}> element.");
}

public sealed class CapAlertException(string message) : Exception(message);
