using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Grains.Demo;

/// <summary>
/// Generates a plausible camera estate: counts per district weighted by the districts' 2016 CCTV counts, positions inside
/// each district (as the locator sees it), and a realistic mix of purposes, headings and states. Deterministic per seed.
/// </summary>
public sealed class DemoCityGenerator(DistrictLocator locator, int randomSeed, string streamUrl)
{
    private readonly DistrictPlacer placer = new(locator);

    private static readonly (CameraPurpose Purpose, double Share)[] PurposeMix =
    [
        (CameraPurpose.CrimePrevention, 0.45), (CameraPurpose.Traffic, 0.15), (CameraPurpose.ChildProtection, 0.15),
        (CameraPurpose.Parking, 0.10), (CameraPurpose.Facility, 0.10), (CameraPurpose.Disaster, 0.05),
    ];

    private static readonly double[] FieldsOfView = [60, 90, 110];

    /// <summary>How many cameras each of Seoul's districts gets.</summary>
    public static IReadOnlyDictionary<string, int> Apportion(int total) => Apportion(SeoulDistricts.All, total);

    /// <summary>How many cameras each district gets (largest-remainder apportionment of <paramref name="total"/> by the districts' CCTV weights).</summary>
    public static IReadOnlyDictionary<string, int> Apportion(IReadOnlyList<DistrictReference> districts, int total)
    {
        var weights = districts.ToDictionary(d => d.Code, d => (double)d.CrimePreventionCctv2016);
        var sum = weights.Values.Sum();
        var exact = weights.ToDictionary(w => w.Key, w => total * w.Value / sum);
        var counts = exact.ToDictionary(e => e.Key, e => (int)Math.Floor(e.Value));
        var remainder = total - counts.Values.Sum();
        foreach (var code in exact.OrderByDescending(e => e.Value - Math.Floor(e.Value)).ThenBy(e => e.Key).Take(remainder).Select(e => e.Key))
            counts[code]++;
        return counts;
    }

    public IEnumerable<CameraInfo> Generate(DistrictReference district, int count)
    {
        var random = new Random(StableSeed.Of(randomSeed, district.Code));
        for (var n = 1; n <= count; n++)
        {
            var position = placer.PlaceIn(district, random);
            var purpose = PickPurpose(random.NextDouble());
            var ptz = random.NextDouble() < 0.3;
            var roll = random.NextDouble();
            var status = roll < 0.97 ? CameraStatus.Online : roll < 0.99 ? CameraStatus.Offline : CameraStatus.Maintenance;
            var heading = Math.Round(random.NextDouble() * 360, 1);
            var fov = FieldsOfView[random.Next(FieldsOfView.Length)];
            yield return new CameraInfo(
                $"{district.Code}-{n:D5}",
                district.Code,
                position,
                purpose,
                status,
                streamUrl,
                ptz ? null : heading,
                ptz ? null : fov,
                ptz,
                $"{district.NameEnglish} {n}");
        }
    }

    private static CameraPurpose PickPurpose(double roll)
    {
        foreach (var (purpose, share) in PurposeMix)
        {
            if (roll < share) return purpose;
            roll -= share;
        }
        return CameraPurpose.CrimePrevention;
    }
}
