using SafetyNet.Contracts.Agencies;
using SafetyNet.Grains.Configuration;

namespace SafetyNet.Grains.Incidents;

/// <summary>Who responds at a place: the agencies of the type's responder kinds whose jurisdiction covers it (city-wide centers cover every place).</summary>
public static class ResponderResolver
{
    public static string[] Resolve(IEnumerable<AgencyInfo> agencies, IncidentTypeSettings settings, string districtCode) => agencies
        .Where(a => settings.Responds(a.Kind) && a.HasJurisdictionOver(districtCode))
        .Select(a => a.Id)
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>A local agency is left behind when the incident moves from a district it covers to one it does not; city-wide agencies never are.</summary>
    public static bool IsLeftBehind(AgencyInfo agency, string fromDistrict, string toDistrict) =>
        !agency.CityWide && agency.HasJurisdictionOver(fromDistrict) && !agency.HasJurisdictionOver(toDistrict);
}
