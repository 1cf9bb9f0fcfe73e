using System.Globalization;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Reference;

/// <summary>Seoul's 25 districts, read once from the CSV embedded in this assembly.</summary>
public static class SeoulDistricts
{
    public static IReadOnlyList<DistrictReference> All { get; } = Load();

    private static readonly Dictionary<string, DistrictReference> ByCode = All.ToDictionary(d => d.Code);

    public static DistrictReference? Find(string code) => ByCode.GetValueOrDefault(code);

    public static bool Exists(string code) => ByCode.ContainsKey(code);

    private static List<DistrictReference> Load()
    {
        using var stream = typeof(SeoulDistricts).Assembly.GetManifestResourceStream("Reference/seoul-districts.csv")
            ?? throw new InvalidOperationException("The embedded district table is missing from the build.");
        using var reader = new StreamReader(stream);
        reader.ReadLine();
        var result = new List<DistrictReference>();
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var f = line.Split(',');
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            result.Add(new DistrictReference(f[0], f[1], f[2], new GeoPoint(D(3), D(4)), D(5), D(6), D(7), D(8), D(9),
                int.Parse(f[10], CultureInfo.InvariantCulture)));
        }
        return result;
    }
}
