using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetyNet.Grains.Evidence;

/// <summary>One file of an export and the SHA-256 (lower-case hex) of its bytes. Hash first, then name: see the docs' sha256sum recipe.</summary>
public sealed record EvidenceFile(string Sha256, string Name, long Bytes);

public sealed record EvidenceExporter(string AgencyId, string OperatorId);

/// <summary>
/// What an export is and holds. Its canonical form (<see cref="ToCanonicalJson"/>: compact UTF-8 JSON, properties in
/// declaration order, times in UTC to the millisecond, non-ASCII escaped) is the exact byte string the node signs and the
/// ledger hashes; a manifest is only accepted in that form, so there is one byte string per manifest.
/// </summary>
public sealed record EvidenceManifest(
    string Format,
    string ExportId,
    string Kind,
    string CameraId,
    string DistrictCode,
    DateTimeOffset From,
    DateTimeOffset To,
    string IncidentId,
    string Purpose,
    string Justification,
    EvidenceExporter Exporter,
    string[] MasksApplied,
    DateTimeOffset ExportedAt,
    string KeyId,
    EvidenceFile[] Files)
{
    public const string CurrentFormat = "safetynet-evidence/1";
    public const string FileName = "manifest.json";
    public const string SignatureFileName = "manifest.sig";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new UtcMillisecondsConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public byte[] ToCanonicalJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(ToCanonicalJson()));

    /// <summary>The manifest in <paramref name="bytes"/>, or null with the reason when they are not one, or not in canonical form.</summary>
    public static EvidenceManifest? Parse(ReadOnlySpan<byte> bytes, out string? problem)
    {
        EvidenceManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<EvidenceManifest>(bytes, Json);
        }
        catch (JsonException e)
        {
            problem = $"the manifest is not a SafetyNet evidence manifest ({e.Message})";
            return null;
        }
        problem = manifest switch
        {
            null => "the manifest is empty",
            { Format: not CurrentFormat } => $"the manifest's format is '{manifest.Format}', not '{CurrentFormat}'",
            _ when !bytes.SequenceEqual(manifest.ToCanonicalJson()) => "the manifest is not in its canonical form (it was re-formatted or edited)",
            _ => null,
        };
        return problem is null ? manifest : null;
    }

    public static DateTimeOffset Canonical(DateTimeOffset at) =>
        new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private sealed class UtcMillisecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Canonical(value).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}
