using System.Globalization;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Reference;

/// <summary>Seoul's 25 districts, read once from the CSV embedded in this assembly.</summary>
public static class SeoulDistricts
{
    // The administrative codes (행정표준코드) of Seoul's districts, by Korean name: disaster alerts (CAP geocodes) and the
    // national boundary data (SIG_CD) name districts by these. Several equal the statistical code of another district
    // (11230 is Dongdaemun-gu here and Gangnam-gu in the KOSTAT table). Declared before All, which reads them.
    private static readonly Dictionary<string, string> AdministrativeCodes = new()
    {
        ["종로구"] = "11110", ["중구"] = "11140", ["용산구"] = "11170", ["성동구"] = "11200", ["광진구"] = "11215",
        ["동대문구"] = "11230", ["중랑구"] = "11260", ["성북구"] = "11290", ["강북구"] = "11305", ["도봉구"] = "11320",
        ["노원구"] = "11350", ["은평구"] = "11380", ["서대문구"] = "11410", ["마포구"] = "11440", ["양천구"] = "11470",
        ["강서구"] = "11500", ["구로구"] = "11530", ["금천구"] = "11545", ["영등포구"] = "11560", ["동작구"] = "11590",
        ["관악구"] = "11620", ["서초구"] = "11650", ["강남구"] = "11680", ["송파구"] = "11710", ["강동구"] = "11740",
    };

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
                int.Parse(f[10], CultureInfo.InvariantCulture), AdministrativeCodes[f[1]]));
        }
        return result;
    }
}
