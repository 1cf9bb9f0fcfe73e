using SafetyNet.Contracts.Agencies;
using SafetyNet.Grains.Configuration;

namespace SafetyNet.Grains.Incidents;

/// <summary>Who responds when the dispatcher does not say: the agencies of the type's kinds whose jurisdiction covers the place.</summary>
public static class ResponderResolver
{
    public static string[] Resolve(IEnumerable<AgencyInfo> agencies, IncidentTypeSettings settings, string districtCode) => agencies
        .Where(a => settings.AgencyKinds.Contains(a.Kind) && a.HasJurisdictionOver(districtCode))
        .Select(a => a.Id)
        .Order(StringComparer.Ordinal)
        .ToArray();
}
