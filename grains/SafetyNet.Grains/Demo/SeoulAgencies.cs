using SafetyNet.Contracts.Agencies;
using SafetyNet.Grains.Agencies;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Grains.Demo;

/// <summary>
/// Seoul's responding agencies as the demo seeds them: the city-wide 112, 119, disaster and SOS rooms, the platform's own
/// operations team and the city's audit office (neither views video), and per district a police station, a patrol unit,
/// a fire station and the district's CCTV control center. (Seoul has 31 police stations and 25 fire stations; the demo
/// keeps one of each per district so that every jurisdiction is a district.)
/// </summary>
public static class SeoulAgencies
{
    public static IReadOnlyList<AgencyInfo> All { get; } = Build();

    private static List<AgencyInfo> Build()
    {
        var agencies = new List<AgencyInfo>
        {
            new("seoul-112", "Seoul Metropolitan Police Agency 112 Situation Room", AgencyKind.Police112Center, true, []),
            new("seoul-119", "Seoul Fire & Disaster Headquarters 119 Situation Room", AgencyKind.Fire119Center, true, []),
            new("seoul-disaster-room", "Seoul Disaster and Safety Situation Room", AgencyKind.DisasterRoom, true, []),
            new("seoul-sos-center", "Seoul Safe Return and SOS Support Center", AgencyKind.VulnerableSupportCenter, true, []),
            PlatformAgency.Operations,
            new("seoul-audit", "Seoul Metropolitan Government Audit Office", AgencyKind.AuditOffice, true, []),
        };
        foreach (var d in SeoulDistricts.All)
        {
            var slug = d.NameEnglish.Replace("-gu", "", StringComparison.Ordinal).ToLowerInvariant();
            agencies.Add(new($"police-{slug}", $"{d.NameEnglish} Police Station", AgencyKind.PoliceStation, false, [d.Code]));
            agencies.Add(new($"patrol-{slug}", $"{d.NameEnglish} Patrol Unit", AgencyKind.PolicePatrol, false, [d.Code]));
            agencies.Add(new($"fire-{slug}", $"{d.NameEnglish} Fire Station", AgencyKind.FireStation, false, [d.Code]));
            agencies.Add(new($"control-{slug}", $"{d.NameEnglish} CCTV Integrated Control Center", AgencyKind.DistrictControlCenter, false, [d.Code]));
        }
        return agencies;
    }
}
