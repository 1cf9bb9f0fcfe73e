using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace SafetyNet.Grains.Reviews;

/// <summary>The canonical byte form of a report: compact UTF-8 JSON, properties in declaration order, Hangul unescaped.</summary>
public static class ReviewJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static byte[] Serialize(ReviewReport report) => JsonSerializer.SerializeToUtf8Bytes(report, Options);

    public static ReviewReport Deserialize(byte[] document) =>
        JsonSerializer.Deserialize<ReviewReport>(document, Options) ?? throw new JsonException("The stored review report is empty.");
}
