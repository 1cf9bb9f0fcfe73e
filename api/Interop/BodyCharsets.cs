using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;
using SafetyNet.Api.Import;

namespace SafetyNet.Api.Interop;

/// <summary>
/// The charsets a body may come in. JSON is UTF-8 only (RFC 8259). CSV and XML may also be EUC-KR: Korean Excel saves
/// "CSV (comma delimited)" in it, and Korean alert gateways declare it. It is read as CP949, the superset Windows writes.
/// A camera list with a UTF-16 byte order mark (Excel's "Unicode text") is read as UTF-16 whatever it declares, and a body
/// declared EUC-KR that is in fact UTF-8 is read as UTF-8 (<see cref="MislabelledUtf8"/>).
/// </summary>
public static partial class BodyCharsets
{
    public const string Utf8 = "UTF-8";
    public const string Korean = "EUC-KR";
    private const int Cp949 = 949;
    private static readonly string[] Utf8Names = ["utf-8", "utf8", "us-ascii"];
    private static readonly string[] KoreanNames = ["euc-kr", "cp949", "ks_c_5601-1987", "windows-949", "x-windows-949", "uhc"];
    private static readonly string[] KoreanMediaTypes = [.. CsvCameraReader.MediaTypes.Keys, "application/xml", "text/xml", "application/cap+xml"];

    static BodyCharsets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The media type and the charset a Content-Type names (null when it names none, or cannot be read).</summary>
    public static (string? MediaType, string? Charset) Declared(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            ? (parsed.MediaType.ToString(), parsed.Charset.HasValue ? HeaderUtilities.RemoveQuotes(parsed.Charset).ToString() : null)
            : (null, null);

    /// <summary><see cref="Utf8"/> or <see cref="Korean"/> for a name of either, or null for a charset this API does not read.</summary>
    public static string? Canonical(string charset) =>
        Utf8Names.Contains(charset, StringComparer.OrdinalIgnoreCase) ? Utf8
        : KoreanNames.Contains(charset, StringComparer.OrdinalIgnoreCase) ? Korean
        : null;

    /// <summary>Whether a body of this media type may be EUC-KR as well as UTF-8.</summary>
    public static bool MayBeKorean(string mediaType) => KoreanMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase);

    /// <summary>A decoding that writes U+FFFD for bytes it cannot decode, for readers that reject such records one by one.</summary>
    public static Encoding Replacing(string canonical) => canonical == Korean ? Encoding.GetEncoding(Cp949) : new UTF8Encoding(false);

    /// <summary>A decoding that throws <see cref="DecoderFallbackException"/> on bytes it cannot decode.</summary>
    public static Encoding Strict(string canonical) => canonical == Korean
        ? Encoding.GetEncoding(Cp949, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
        : new UTF8Encoding(false, throwOnInvalidBytes: true);

    /// <summary>
    /// The charset an XML body names: the media type's if it has one (RFC 7303), else UTF-8 after a UTF-8 byte order mark,
    /// else the XML declaration's encoding, else UTF-8. The name is as written; <see cref="Canonical"/> says whether it is read.
    /// </summary>
    public static string OfXml(string? mediaTypeCharset, byte[] body)
    {
        if (!string.IsNullOrEmpty(mediaTypeCharset)) return mediaTypeCharset;
        if (body.AsSpan().StartsWith(Encoding.UTF8.Preamble)) return Utf8;
        var prefix = Encoding.Latin1.GetString(body, 0, Math.Min(body.Length, 256));
        return XmlDeclarationEncoding().Match(prefix) is { Success: true } match ? match.Groups[1].Value : Utf8;
    }

    [GeneratedRegex("""^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")]
    private static partial Regex XmlDeclarationEncoding();
}
