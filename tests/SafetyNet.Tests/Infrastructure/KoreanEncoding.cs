using System.Text;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>Text as Korean Windows and older Korean systems write it: CP949, the superset of EUC-KR.</summary>
public static class KoreanEncoding
{
    static KoreanEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static byte[] Cp949(string text) => Encoding.GetEncoding(949).GetBytes(text);

    public static ByteArrayContent Body(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("content-type", contentType);
        return content;
    }
}
