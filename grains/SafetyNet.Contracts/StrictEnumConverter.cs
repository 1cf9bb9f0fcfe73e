using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafetyNet.Contracts;

/// <summary>
/// Enums on the wire: read only their names (a number, an unknown name or a comma-joined list is a JSON error, so an
/// undefined value never gets into state); write names, and an undefined value that is already stored as its number, so
/// that showing bad data never fails (and it can be seen and repaired).
/// </summary>
public sealed class StrictEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"{typeof(T).Name} must be a string, one of: {EnumNames<T>.Expected}.");
        return Parse(reader.GetString());
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        if (Enum.IsDefined(value)) writer.WriteStringValue(EnumNames<T>.NameOf(value));
        else writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString());

    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WritePropertyName(EnumNames<T>.NameOf(value));

    private static T Parse(string? text) =>
        EnumNames<T>.TryParse(text, out var value)
            ? value
            : throw new JsonException($"'{text}' is not a {typeof(T).Name}; expected one of: {EnumNames<T>.Expected}.");
}
