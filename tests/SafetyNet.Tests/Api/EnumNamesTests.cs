using SafetyNet.Contracts;
using SafetyNet.Contracts.Access;

namespace SafetyNet.Tests.Api;

/// <summary>Enums travel by their wire names, both ways, and bad stored data is named rather than failing.</summary>
public sealed class EnumNamesTests
{
    [Fact]
    public void Every_value_is_named_by_its_wire_name_and_read_back_from_it_whatever_the_case()
    {
        Assert.Equal("emergency-response", EnumNames<AccessPurpose>.NameOf(AccessPurpose.EmergencyResponse));
        Assert.Equal("monitoring", EnumNames<AccessPurpose>.NameOf(AccessPurpose.Monitoring));
        foreach (var value in Enum.GetValues<AccessPurpose>())
        {
            Assert.True(EnumNames<AccessPurpose>.TryParse(EnumNames<AccessPurpose>.NameOf(value).ToUpperInvariant(), out var parsed));
            Assert.Equal(value, parsed);
        }
        Assert.Equal(Enum.GetValues<AccessPurpose>().Length, EnumNames<AccessPurpose>.Names.Count());
        Assert.StartsWith("emergency-response, crime-investigation", EnumNames<AccessPurpose>.Expected);
    }

    [Fact]
    public void An_undefined_value_is_named_by_its_number_and_an_unknown_name_is_not_read()
    {
        Assert.Equal("42", EnumNames<AccessPurpose>.NameOf((AccessPurpose)42));
        Assert.False(EnumNames<AccessPurpose>.TryParse("EmergencyResponse", out _));
        Assert.False(EnumNames<AccessPurpose>.TryParse(null, out _));
    }
}
