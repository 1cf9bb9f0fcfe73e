using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Districts;

/// <summary>
/// The districts (local governments) this deployment serves: Seoul's 25 by default, or every local government of a
/// configured nation. Whatever lists, checks or names districts asks this rather than assuming Seoul.
/// </summary>
public interface IServedDistricts
{
    /// <summary>Where the districts lie, as messages name it: "Seoul" or "Korea".</summary>
    string DisplayName { get; }

    /// <summary>Every served district's KOSTAT code, Seoul's first.</summary>
    IReadOnlyList<string> Codes { get; }

    bool Serves(string code);

    /// <summary>A served district's Korean and English names; null for a code this deployment does not serve.</summary>
    (string Name, string NameEnglish)? NameOf(string code);

    /// <summary>
    /// The served district a place name stands for: a Korean or English name only one served district has, the Korean
    /// taken from the last word of an administrative name ("서울특별시 관악구" is 관악구); null for none, or several.
    /// </summary>
    string? Named(string name);

    /// <summary>The served district with an administrative code (행정표준코드, or the first five digits of a longer one); null for none.</summary>
    string? WithAdministrativeCode(string code);

    /// <summary>A served district's centroid and area; null for a code this deployment does not serve.</summary>
    (GeoPoint Centroid, double AreaKm2)? PlaceOf(string code);
}

public static class ServedDistrictsMessages
{
    /// <summary>The message of a 404 for a code this deployment does not serve.</summary>
    public static string NoSuchDistrict(this IServedDistricts served, string code) => $"There is no district with code '{code}' in {served.DisplayName}.";
}
