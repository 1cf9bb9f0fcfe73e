using System.Globalization;
using System.Text.RegularExpressions;

namespace SafetyNet.Contracts.Context;

public enum ContextValueKind
{
    Text,
    Integer,
    Number,
    Choice,

    /// <summary>A UN number: "UN" and four digits (a bare "1203" is read as UN1203).</summary>
    UnNumber,
}

/// <summary>A property a layer understands: its kind, whether a feature must have it, its range or choices, and what it means.</summary>
public sealed record ContextProperty(string Name, ContextValueKind Kind, bool Required, string Meaning, double Min = 0, double Max = double.MaxValue, string[]? Choices = null);

/// <summary>
/// The GeoJSON properties each context layer understands (docs/context-layers.md lists them). Imported values are checked
/// against it and stored normalised (invariant numbers, "UN" numbers); other properties are kept as short text.
/// </summary>
public static partial class ContextLayerSchema
{
    public const int MaxTextLength = 200;
    public const int MaxProperties = 32;

    public static readonly string[] QuantityUnits = ["kg", "t", "L", "m3"];
    public static readonly string[] HydrantTypes = ["underground", "above-ground"];

    private static readonly Dictionary<string, ContextProperty[]> Layers = new(StringComparer.Ordinal)
    {
        [ContextLayers.Hydrants] =
        [
            new("type", ContextValueKind.Choice, false, "underground (a cover in the road) or above-ground (a post)", Choices: HydrantTypes),
            new("diameterMm", ContextValueKind.Integer, false, "outlet diameter in millimetres", 40, 300),
        ],
        [ContextLayers.Hazmat] =
        [
            new("substance", ContextValueKind.Text, true, "the stored substance, e.g. chlorine"),
            new("unNumber", ContextValueKind.UnNumber, true, "its UN number, e.g. UN1017"),
            new("quantity", ContextValueKind.Number, true, "the amount stored, in quantityUnit", 0, 1e9),
            new("quantityUnit", ContextValueKind.Choice, true, "kg, t (tonnes), L or m3", Choices: QuantityUnits),
            new("hazardClass", ContextValueKind.Text, false, "the UN hazard class, e.g. 2.3 toxic gas"),
        ],
        [ContextLayers.Parking] =
        [
            new("capacity", ContextValueKind.Integer, false, "parking spaces", 0, 100_000),
            new("heightLimitMeters", ContextValueKind.Number, false, "clearance at the entrance in metres (absent: open-air, no limit)", 1, 10),
        ],
        [ContextLayers.Shelters] =
        [
            new("capacity", ContextValueKind.Integer, false, "people it holds", 0, 1_000_000),
        ],
    };

    public static IReadOnlyList<ContextProperty> For(string layer) => Layers.GetValueOrDefault(layer) ?? [];

    /// <summary>Checks one feature's properties (value: a JSON string, number or boolean as text); returns the normalised set, or why it is refused.</summary>
    public static (Dictionary<string, string>? Properties, string? Error) Validate(string layer, IReadOnlyList<(string Name, string Value, bool IsString)> given)
    {
        if (given.Count > MaxProperties) return (null, $"A feature has at most {MaxProperties} properties.");
        var known = For(layer).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value, isString) in given)
        {
            if (name.Length is 0 or > 64) return (null, "Property names are 1-64 characters.");
            string normalised;
            if (known.TryGetValue(name, out var property))
            {
                if (Normalise(property, value, isString) is not { } ok) return (null, Describe(property, value));
                normalised = ok;
            }
            else if (value.Length > MaxTextLength) return (null, $"'{name}' is longer than {MaxTextLength} characters.");
            else normalised = value;
            if (!result.TryAdd(name, normalised)) return (null, $"The properties repeat '{name}'.");
        }
        if (For(layer).FirstOrDefault(p => p.Required && !result.ContainsKey(p.Name)) is { } missing)
            return (null, $"A {layer} feature needs '{missing.Name}' ({missing.Meaning}).");
        return (result, null);
    }

    private static string? Normalise(ContextProperty property, string value, bool isString)
    {
        switch (property.Kind)
        {
            case ContextValueKind.Text:
                return isString && !string.IsNullOrWhiteSpace(value) && value.Length <= MaxTextLength ? value.Trim() : null;
            case ContextValueKind.Choice:
                return isString ? property.Choices!.FirstOrDefault(c => string.Equals(c, value.Trim(), StringComparison.OrdinalIgnoreCase)) : null;
            case ContextValueKind.UnNumber:
                var match = isString || value.Length == 4 ? UnNumberPattern().Match(value.Trim()) : Match.Empty;
                return match.Success ? $"UN{match.Groups[1].Value}" : null;
            case ContextValueKind.Integer:
                return long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) && whole >= property.Min && whole <= property.Max
                    ? whole.ToString(CultureInfo.InvariantCulture) : null;
            default:
                return double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                       && number >= property.Min && number <= property.Max
                    ? number.ToString("R", CultureInfo.InvariantCulture) : null;
        }
    }

    private static string Describe(ContextProperty property, string value)
    {
        var shown = value.Length > 40 ? value[..40] + "…" : value;
        return property.Kind switch
        {
            ContextValueKind.Choice => $"'{property.Name}' must be one of {string.Join(", ", property.Choices!)}, not '{shown}'.",
            ContextValueKind.UnNumber => $"'{property.Name}' must be a UN number such as UN1203, not '{shown}'.",
            ContextValueKind.Integer => $"'{property.Name}' must be a whole number in [{property.Min}, {property.Max}], not '{shown}'.",
            ContextValueKind.Number => $"'{property.Name}' must be a number in [{property.Min}, {property.Max}], not '{shown}'.",
            _ => $"'{property.Name}' must be non-empty text of at most {MaxTextLength} characters.",
        };
    }

    [GeneratedRegex(@"^(?:UN\s?)?(\d{4})$", RegexOptions.IgnoreCase)]
    private static partial Regex UnNumberPattern();
}
