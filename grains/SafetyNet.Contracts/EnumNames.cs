using System.Reflection;
using System.Text.Json.Serialization;

namespace SafetyNet.Contracts;

/// <summary>The wire names of enums (e.g. "crime-prevention"), for query strings and dictionary keys.</summary>
public static class EnumNames<T> where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(NameOf, v => v, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>The wire name; an undefined value (bad stored data) is named by its number rather than failing.</summary>
    public static string NameOf(T value) =>
        typeof(T).GetField(value.ToString()) is { } field
            ? field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString()
            : value.ToString();

    public static bool TryParse(string? text, out T value) => ByName.TryGetValue(text ?? "", out value);

    public static string Expected => string.Join(", ", ByName.Keys);
}
