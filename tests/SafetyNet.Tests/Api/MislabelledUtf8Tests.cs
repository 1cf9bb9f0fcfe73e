using System.Text;
using SafetyNet.Api.Interop;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>A body declared EUC-KR is read as UTF-8 only when it is valid UTF-8 holding some non-ASCII text.</summary>
public sealed class MislabelledUtf8Tests
{
    private const string Korean = "id,name\ncam-1,세종문화회관 앞\n";

    public static TheoryData<string, byte[], string> Bodies => new()
    {
        { BodyCharsets.Korean, Encoding.UTF8.GetBytes(Korean), BodyCharsets.Utf8 },
        { BodyCharsets.Korean, [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(Korean)], BodyCharsets.Utf8 },
        { BodyCharsets.Korean, KoreanEncoding.Cp949(Korean), BodyCharsets.Korean },
        { BodyCharsets.Korean, Encoding.UTF8.GetBytes("id,name\ncam-1,City Hall\n"), BodyCharsets.Korean },
        { BodyCharsets.Korean, [.. Encoding.UTF8.GetBytes(Korean), 0xB0], BodyCharsets.Korean },
        // A UTF-8 sequence cut off at the end of the body.
        { BodyCharsets.Korean, Encoding.UTF8.GetBytes(Korean)[..^2], BodyCharsets.Korean },
        { BodyCharsets.Utf8, KoreanEncoding.Cp949(Korean), BodyCharsets.Utf8 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task The_charset_read_is_UTF_8_only_for_a_UTF_8_body_with_non_ASCII_text_declared_EUC_KR(string declared, byte[] body, string expected)
    {
        Assert.Equal(expected, MislabelledUtf8.ReadAs(declared, body));
        Assert.Equal(expected, await MislabelledUtf8.ReadAsAsync(declared, new MemoryStream(body), CancellationToken.None));
    }

    [Fact]
    public async Task A_streamed_body_is_judged_whole_across_its_chunks()
    {
        // Hangul straddles every 64 KiB chunk boundary (three bytes a syllable), and the one bad byte comes last.
        var utf8 = Encoding.UTF8.GetBytes("a" + string.Concat(Enumerable.Repeat("종로구청", 20_000)));
        Assert.Equal(BodyCharsets.Utf8, await MislabelledUtf8.ReadAsAsync(BodyCharsets.Korean, new MemoryStream(utf8), CancellationToken.None));
        Assert.Equal(BodyCharsets.Korean, await MislabelledUtf8.ReadAsAsync(BodyCharsets.Korean, new MemoryStream([.. utf8, 0xC8]), CancellationToken.None));
    }
}
