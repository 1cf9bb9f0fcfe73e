using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetyNet.Api.Hubs;

/// <summary>A payload already serialised by the grain that published it: SignalR writes its bytes as they are, parsing nothing.</summary>
[JsonConverter(typeof(RawJsonPayloadConverter))]
public sealed record RawJsonPayload(string Json);

public sealed class RawJsonPayloadConverter : JsonConverter<RawJsonPayload>
{
    public override RawJsonPayload Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(JsonDocument.ParseValue(ref reader).RootElement.GetRawText());

    public override void Write(Utf8JsonWriter writer, RawJsonPayload value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Json, skipInputValidation: true);
}
