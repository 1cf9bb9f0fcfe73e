using System.Reflection;
using System.Text.Json.Serialization;

namespace SafetyNet.Contracts;

/// <summary>The wire names of enums (e.g. "crime-prevention"), for query strings and dictionary keys.</summary>
public static class EnumNames<T> where T : struct, Enum
{
    // Read once: every JSON write and ledger entry names enums, and reading the attributes each time cost a few percent
    // of an incident opening's CPU.
    private static readonly Dictionary<T, string> ByValue = Enum.GetValues<T>().Distinct().ToDictionary(v => v, ReadName);
    private static readonly Dictionary<string, T> ByName = ByValue.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>The wire name; an undefined value (bad stored data) is named by its number rather than failing.</summary>
    public static string NameOf(T value) => ByValue.TryGetValue(value, out var name) ? name : value.ToString();

    private static string ReadName(T value) =>
        typeof(T).GetField(value.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString();

    public static bool TryParse(string? text, out T value) => ByName.TryGetValue(text ?? "", out value);

    public static string Expected => string.Join(", ", ByName.Keys);
}
