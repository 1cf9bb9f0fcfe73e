using System.Text.RegularExpressions;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Grains.Agencies;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Grains.Demo;

/// <summary>
/// The responding agencies the demo seeds: the city-wide 112, 119, disaster and SOS rooms, the platform's own operations
/// team and the city's audit office (neither views video), and per district of the region a police station, a patrol
/// unit, a fire station and the district's CCTV control center. (Seoul has 31 police stations and 25 fire stations; the
/// demo keeps one of each per district so that every jurisdiction is a district.) In a nation, as in Korea, each province
/// and metropolitan city has its own 112, 119 and disaster rooms: Seoul's rooms answer for Seoul only, and the national
/// audit board (<c>national-audit</c>) audits every district.
/// </summary>
public static partial class DemoAgencies
{
    public static IReadOnlyList<AgencyInfo> Seoul { get; } = For(Region.Seoul);

    public static IReadOnlyList<AgencyInfo> For(Region region)
    {
        var seoul = region.Districts.Where(d => SeoulDistricts.Exists(d.Code)).Select(d => d.Code).ToArray();
        var nation = seoul.Length < region.Districts.Count;
        AgencyInfo SeoulRoom(string id, string name, AgencyKind kind) => new(id, name, kind, CityWide: !nation, Districts: nation ? seoul : []);
        var agencies = new List<AgencyInfo>
        {
            SeoulRoom("seoul-112", "Seoul Metropolitan Police Agency 112 Situation Room", AgencyKind.Police112Center),
            SeoulRoom("seoul-119", "Seoul Fire & Disaster Headquarters 119 Situation Room", AgencyKind.Fire119Center),
            SeoulRoom("seoul-disaster-room", "Seoul Disaster and Safety Situation Room", AgencyKind.DisasterRoom),
            SeoulRoom("seoul-sos-center", "Seoul Safe Return and SOS Support Center", AgencyKind.VulnerableSupportCenter),
            PlatformAgency.Operations,
            SeoulRoom("seoul-audit", "Seoul Metropolitan Government Audit Office", AgencyKind.AuditOffice),
        };
        if (nation)
        {
            agencies.Add(new("national-audit", "Board of Audit and Inspection", AgencyKind.AuditOffice, true, []));
            foreach (var province in region.Districts.Where(d => !SeoulDistricts.Exists(d.Code)).GroupBy(d => SyntheticKorea.ProvinceOf(d.Code) ?? $"Province {d.Code[..2]}"))
            {
                var slug = NotSlugCharacters().Replace(province.Key.ToLowerInvariant(), "-").Trim('-');
                string[] codes = [.. province.Select(d => d.Code)];
                agencies.Add(new($"{slug}-112", $"{province.Key} Police Agency 112 Situation Room", AgencyKind.Police112Center, false, codes));
                agencies.Add(new($"{slug}-119", $"{province.Key} Fire Headquarters 119 Situation Room", AgencyKind.Fire119Center, false, codes));
                agencies.Add(new($"{slug}-disaster-room", $"{province.Key} Disaster and Safety Situation Room", AgencyKind.DisasterRoom, false, codes));
            }
        }
        foreach (var d in region.Districts)
        {
            var slug = Slug(d);
            agencies.Add(new($"police-{slug}", $"{d.NameEnglish} Police Station", AgencyKind.PoliceStation, false, [d.Code]));
            agencies.Add(new($"patrol-{slug}", $"{d.NameEnglish} Patrol Unit", AgencyKind.PolicePatrol, false, [d.Code]));
            agencies.Add(new($"fire-{slug}", $"{d.NameEnglish} Fire Station", AgencyKind.FireStation, false, [d.Code]));
            agencies.Add(new($"control-{slug}", $"{d.NameEnglish} CCTV Integrated Control Center", AgencyKind.DistrictControlCenter, false, [d.Code]));
        }
        return agencies;
    }

    /// <summary>
    /// Seoul's district keeps its short name ("jung" for Jung-gu); elsewhere the code follows the name, since names repeat
    /// across the nation (Busan, Daegu and Incheon each have a Jung-gu).
    /// </summary>
    private static string Slug(DistrictReference d) => SeoulDistricts.Exists(d.Code)
        ? d.NameEnglish.Replace("-gu", "", StringComparison.Ordinal).ToLowerInvariant()
        : $"{NotSlugCharacters().Replace(d.NameEnglish.ToLowerInvariant(), "-").Trim('-')}-{d.Code}";

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlugCharacters();
}
