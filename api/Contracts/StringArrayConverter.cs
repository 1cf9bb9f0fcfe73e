using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetyNet.Api.Contracts;

/// <summary>
/// String arrays in request bodies (districts, agencies) hold strings only: a null element is malformed JSON for this API
/// (400), not a null that travels on until it becomes a dictionary key or a grain key (500).
/// </summary>
public sealed class StringArrayConverter : JsonConverter<string[]>
{
    public override string[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("Expected an array of strings.");
        var items = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException("An array of strings may hold only strings, not null, numbers or objects.");
            items.Add(reader.GetString()!);
        }
        return [.. items];
    }

    public override void Write(Utf8JsonWriter writer, string[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value) writer.WriteStringValue(item);
        writer.WriteEndArray();
    }
}
