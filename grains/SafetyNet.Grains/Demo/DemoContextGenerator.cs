using System.Globalization;
using SafetyNet.Contracts.Context;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Grains.Demo;

/// <summary>Generated sample city data layers, marked as sample data: parking lots, hazardous-material sites, hydrants, shelters.</summary>
public sealed class DemoContextGenerator(DistrictLocator locator, int randomSeed)
{
    private static readonly (string Substance, string Class)[] Hazards =
    [
        ("LPG", "2.1 flammable gas"), ("gasoline", "3 flammable liquid"), ("chlorine", "2.3 toxic gas"),
        ("sulfuric acid", "8 corrosive"), ("ammonia", "2.3 toxic gas"), ("hydrogen", "2.1 flammable gas"),
    ];

    private readonly DistrictPlacer _placer = new(locator);

    public IEnumerable<ContextFeature> Generate(string layer)
    {
        foreach (var district in SeoulDistricts.All)
        {
            var random = new Random(StableSeed.Of(randomSeed, district.Code, layer));
            var count = layer switch
            {
                ContextLayers.Parking => 120,
                ContextLayers.Hazmat => 20,
                ContextLayers.Hydrants => 60,
                _ => 6,
            };
            for (var n = 1; n <= count; n++)
            {
                var id = $"{layer}-{district.Code}-{n:D3}";
                var position = _placer.PlaceIn(district, random);
                yield return layer switch
                {
                    ContextLayers.Parking => new ContextFeature(layer, id, position, $"{district.NameEnglish} public parking {n}",
                        new() { ["capacity"] = (20 + random.Next(480)).ToString(CultureInfo.InvariantCulture), ["heightLimitMeters"] = (2.1 + random.Next(3) * 0.2).ToString("F1", CultureInfo.InvariantCulture) }, Sample: true),
                    ContextLayers.Hazmat => Hazard(layer, id, position, district, n, random),
                    ContextLayers.Hydrants => new ContextFeature(layer, id, position, $"Hydrant {district.Code}-{n}",
                        new() { ["type"] = random.NextDouble() < 0.7 ? "underground" : "above-ground" }, Sample: true),
                    _ => new ContextFeature(layer, id, position, $"{district.NameEnglish} shelter {n}",
                        new() { ["capacity"] = (100 + random.Next(1900)).ToString(CultureInfo.InvariantCulture) }, Sample: true),
                };
            }
        }
    }

    private static ContextFeature Hazard(string layer, string id, Contracts.Geo.GeoPoint position, DistrictReference district, int n, Random random)
    {
        var (substance, hazardClass) = Hazards[random.Next(Hazards.Length)];
        return new ContextFeature(layer, id, position, $"{district.NameEnglish} hazardous-material site {n}",
            new() { ["substance"] = substance, ["class"] = hazardClass, ["quantityTonnes"] = (1 + random.Next(200)).ToString(CultureInfo.InvariantCulture) }, Sample: true);
    }
}
