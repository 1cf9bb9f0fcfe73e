using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Demo;

namespace SafetyNet.Grains.Reference;

/// <summary>
/// A synthetic nation for scale tests: Seoul's real 25 districts plus 216 made-up local governments spread over the
/// provinces and metropolitan cities of South Korea, with each province's real area, centre and number of local
/// governments (gu-level for the large cities). Centroids fall inside the province's disc, apart from each other and
/// outside Seoul; camera weights favour the metropolitan cities. Deterministic per seed.
/// </summary>
public static class SyntheticKorea
{
    private sealed record Province(string Prefix, string Name, string NameEnglish, double Latitude, double Longitude, double AreaKm2, int LocalGovernments, bool Metropolitan);

    private static readonly Province[] Provinces =
    [
        new("21", "부산", "Busan", 35.18, 129.07, 770, 16, true),
        new("22", "대구", "Daegu", 35.87, 128.60, 880, 9, true),
        new("23", "인천", "Incheon", 37.46, 126.70, 1_060, 10, true),
        new("24", "광주", "Gwangju", 35.16, 126.85, 500, 5, true),
        new("25", "대전", "Daejeon", 36.35, 127.38, 540, 5, true),
        new("26", "울산", "Ulsan", 35.54, 129.31, 1_060, 5, true),
        new("29", "세종", "Sejong", 36.48, 127.29, 465, 1, false),
        new("31", "경기", "Gyeonggi", 37.42, 127.25, 10_200, 42, false),
        new("32", "강원", "Gangwon", 37.75, 128.30, 16_800, 18, false),
        new("33", "충북", "Chungbuk", 36.75, 127.70, 7_400, 11, false),
        new("34", "충남", "Chungnam", 36.55, 126.85, 8_200, 15, false),
        new("35", "전북", "Jeonbuk", 35.75, 127.15, 8_070, 14, false),
        new("36", "전남", "Jeonnam", 34.90, 126.95, 12_300, 22, false),
        new("37", "경북", "Gyeongbuk", 36.35, 128.75, 19_000, 23, false),
        new("38", "경남", "Gyeongnam", 35.30, 128.25, 10_500, 18, false),
        new("39", "제주", "Jeju", 33.40, 126.55, 1_850, 2, false),
    ];

    private const double KmPerDegreeLatitude = 111.195;

    /// <summary>The English name of the province or metropolitan city a district belongs to (by its code's first two digits), if it is one of the nation's.</summary>
    public static string? ProvinceOf(string districtCode) =>
        SeoulDistricts.Exists(districtCode) ? "Seoul"
        : Provinces.FirstOrDefault(p => districtCode.StartsWith(p.Prefix, StringComparison.Ordinal))?.NameEnglish;

    public static IReadOnlyList<DistrictReference> Districts(int seed)
    {
        var result = new List<DistrictReference>(SeoulDistricts.All);
        foreach (var province in Provinces)
        {
            var random = new Random(StableSeed.Of(seed, "korea", province.Prefix));
            var areaEach = province.AreaKm2 / province.LocalGovernments;
            var provinceRadiusKm = Math.Sqrt(province.AreaKm2 / Math.PI);
            var separationKm = 0.8 * Math.Sqrt(areaEach);
            var placed = new List<GeoPoint>();
            for (var n = 1; n <= province.LocalGovernments; n++)
            {
                var centroid = PlaceCentroid(province, provinceRadiusKm, separationKm, placed, random);
                placed.Add(centroid);
                var radiusKm = Math.Sqrt(areaEach / Math.PI) * 1.3;
                var dLat = radiusKm / KmPerDegreeLatitude;
                var dLon = dLat / Math.Cos(GeoMath.ToRadians(centroid.Latitude));
                var weight = (province.Metropolitan ? 900 : 450) * (0.5 + random.NextDouble());
                result.Add(new DistrictReference($"{province.Prefix}{n * 10:D3}", $"{province.Name} {n}", $"{province.NameEnglish} {n}", centroid,
                    Math.Round(areaEach, 2), centroid.Latitude - dLat, centroid.Longitude - dLon, centroid.Latitude + dLat, centroid.Longitude + dLon,
                    (int)weight));
            }
        }
        return result;
    }

    private static GeoPoint PlaceCentroid(Province province, double radiusKm, double separationKm, List<GeoPoint> placed, Random random)
    {
        GeoPoint candidate = new(province.Latitude, province.Longitude);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var r = radiusKm * Math.Sqrt(random.NextDouble()) / KmPerDegreeLatitude;
            var theta = random.NextDouble() * 2 * Math.PI;
            candidate = new GeoPoint(Math.Round(province.Latitude + r * Math.Cos(theta), 6),
                Math.Round(province.Longitude + r * Math.Sin(theta) / Math.Cos(GeoMath.ToRadians(province.Latitude)), 6));
            // The separation relaxes as attempts fail, so a crowded province still finishes.
            var needed = separationKm * (1 - attempt / 200.0);
            if (!SeoulBounds.Contains(candidate) && placed.All(p => GeoMath.DistanceMeters(p, candidate) / 1000 >= needed)) return candidate;
        }
        return candidate;
    }
}
