using System.ComponentModel;
using System.Globalization;

namespace SafetyNet.Contracts;

/// <summary>
/// Lets configuration binding read an enum by its wire name ("police-112-center"), as the API and the README spell it;
/// anything else is refused with the names it expects.
/// </summary>
public sealed class EnumWireNameConverter<T> : TypeConverter where T : struct, Enum
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text && EnumNames<T>.TryParse(text.Trim(), out var parsed)
            ? parsed
            : throw new FormatException($"'{value}' is not one of: {EnumNames<T>.Expected}.");

    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType) => destinationType == typeof(string);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        value is T typed && destinationType == typeof(string) ? EnumNames<T>.NameOf(typed) : base.ConvertTo(context, culture, value, destinationType);
}
