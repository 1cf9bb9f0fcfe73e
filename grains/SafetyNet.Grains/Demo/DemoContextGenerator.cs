using System.Globalization;
using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Grains.Demo;

/// <summary>
/// Generated sample city data layers, marked as sample data, with the properties docs/context-layers.md lists: parking
/// lots, hazardous-material sites, hydrants, shelters, in every district of the region. Hydrants stand at Seoul's real
/// density (about 60,000 for 605 km²): one near every node of a city-wide 100 m lattice, so every point of the city has
/// one within about 110 m. They are laid in Seoul's districts only: the lattice over a nation would be ten million points.
/// </summary>
public sealed class DemoContextGenerator(DistrictLocator locator, int randomSeed)
{
    public const double HydrantSpacingMeters = 100;
    private const double HydrantJitterMeters = 25;

    private static readonly (string Substance, string UnNumber, string HazardClass, string Unit)[] Hazards =
    [
        ("LPG", "UN1075", "2.1 flammable gas", "t"), ("gasoline", "UN1203", "3 flammable liquid", "L"), ("diesel fuel", "UN1202", "3 flammable liquid", "L"),
        ("chlorine", "UN1017", "2.3 toxic gas", "kg"), ("sulfuric acid", "UN1830", "8 corrosive", "t"), ("anhydrous ammonia", "UN1005", "2.3 toxic gas", "kg"),
        ("hydrogen, compressed", "UN1049", "2.1 flammable gas", "m3"), ("hydrochloric acid", "UN1789", "8 corrosive", "L"),
        ("sodium hydroxide solution", "UN1824", "8 corrosive", "L"), ("acetylene", "UN1001", "2.1 flammable gas", "m3"),
    ];

    private static readonly double MetersPerDegree = Math.PI * GeoMath.EarthRadiusMeters / 180;

    private readonly DistrictPlacer _placer = new(locator);

    public IEnumerable<ContextFeature> Generate(string layer)
    {
        foreach (var district in locator.Region.Districts)
        {
            if (layer == ContextLayers.Hydrants)
            {
                if (SeoulDistricts.Exists(district.Code))
                    foreach (var hydrant in Hydrants(district)) yield return hydrant;
                continue;
            }
            var random = new Random(StableSeed.Of(randomSeed, district.Code, layer));
            var count = layer switch
            {
                ContextLayers.Parking => 120,
                ContextLayers.Hazmat => 20,
                _ => 6,
            };
            for (var n = 1; n <= count; n++)
            {
                var id = $"{layer}-{district.Code}-{n:D3}";
                var position = _placer.PlaceIn(district, random);
                yield return layer switch
                {
                    ContextLayers.Parking => Parking(layer, id, position, district, n, random),
                    ContextLayers.Hazmat => Hazard(layer, id, position, district, n, random),
                    _ => new ContextFeature(layer, id, position, $"{district.NameEnglish} shelter {n}",
                        new() { ["capacity"] = Invariant(100 + random.Next(1900)) }, Sample: true),
                };
            }
        }
    }

    /// <summary>
    /// The lattice is one for the whole city, so hydrants do not thin out along district borders: each node belongs to the
    /// district its (jittered) point falls in. A node's jitter depends only on the seed and the node, so districts generate alone.
    /// </summary>
    private IEnumerable<ContextFeature> Hydrants(DistrictReference district)
    {
        var latitudeStep = HydrantSpacingMeters / MetersPerDegree;
        var longitudeStep = latitudeStep / Math.Cos(GeoMath.ToRadians(SeoulBounds.MinLatitude + (SeoulBounds.MaxLatitude - SeoulBounds.MinLatitude) / 2));
        var n = 0;
        for (var row = (int)Math.Floor(district.MinLatitude / latitudeStep) - 1; row * latitudeStep <= district.MaxLatitude + latitudeStep; row++)
        for (var column = (int)Math.Floor(district.MinLongitude / longitudeStep) - 1; column * longitudeStep <= district.MaxLongitude + longitudeStep; column++)
        {
            var random = new Random(StableSeed.Of(randomSeed, ContextLayers.Hydrants, $"{row}:{column}"));
            var jitter = HydrantJitterMeters / HydrantSpacingMeters;
            var position = new GeoPoint(
                Math.Round((row + (random.NextDouble() * 2 - 1) * jitter) * latitudeStep, 6),
                Math.Round((column + (random.NextDouble() * 2 - 1) * jitter) * longitudeStep, 6));
            if (locator.Locate(position) != district.Code) continue;
            n++;
            var underground = random.NextDouble() < 0.7;
            yield return new ContextFeature(ContextLayers.Hydrants, $"hydrants-{district.Code}-{n:D5}", position, $"Hydrant {district.Code}-{n}",
                new() { ["type"] = underground ? "underground" : "above-ground", ["diameterMm"] = underground ? "65" : "100" }, Sample: true);
        }
    }

    private static ContextFeature Parking(string layer, string id, GeoPoint position, DistrictReference district, int n, Random random)
    {
        var properties = new Dictionary<string, string> { ["capacity"] = Invariant(20 + random.Next(480)) };
        // About a third are open-air lots with no height limit; covered ones clear 2.1-2.7 m, which a ladder truck (3.5 m) never does.
        if (random.NextDouble() < 0.67) properties["heightLimitMeters"] = (2.1 + random.Next(4) * 0.2).ToString("F1", CultureInfo.InvariantCulture);
        return new ContextFeature(layer, id, position, $"{district.NameEnglish} public parking {n}", properties, Sample: true);
    }

    private static ContextFeature Hazard(string layer, string id, GeoPoint position, DistrictReference district, int n, Random random)
    {
        var (substance, unNumber, hazardClass, unit) = Hazards[random.Next(Hazards.Length)];
        var quantity = unit switch
        {
            "t" => 1 + random.Next(200),
            "kg" => 50 + random.Next(2000),
            "L" => 1000 * (1 + random.Next(50)),
            _ => 100 + random.Next(5000),
        };
        return new ContextFeature(layer, id, position, $"{district.NameEnglish} hazardous-material site {n}",
            new() { ["substance"] = substance, ["unNumber"] = unNumber, ["hazardClass"] = hazardClass, ["quantity"] = Invariant(quantity), ["quantityUnit"] = unit },
            Sample: true);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
