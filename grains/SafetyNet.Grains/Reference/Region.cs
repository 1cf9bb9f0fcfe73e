using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Reference;

/// <summary>
/// The set of districts (local governments) this deployment serves, and their envelope: Seoul's 25 by default
/// (<c>Demo:Region</c> = <c>seoul</c>), or a synthetic nation (<c>korea</c>, see <see cref="SyntheticKorea"/>).
/// </summary>
public sealed class Region : IServedDistricts
{
    public const string SeoulName = "seoul";
    public const string KoreaName = "korea";
    public static readonly string[] Names = [SeoulName, KoreaName];

    private readonly Dictionary<string, DistrictReference> _byCode;
    private readonly Dictionary<string, DistrictReference> _byKoreanName;
    private readonly Dictionary<string, DistrictReference> _byEnglishName;
    private readonly Dictionary<string, DistrictReference> _byAdministrativeCode;

    public Region(string name, IReadOnlyList<DistrictReference> districts)
    {
        Name = name;
        Districts = districts;
        Codes = districts.Select(d => d.Code).ToArray();
        _byCode = districts.ToDictionary(d => d.Code, StringComparer.Ordinal);
        _byKoreanName = Unique(districts, d => KoreanName(d.Name));
        _byEnglishName = Unique(districts, d => EnglishName(d.NameEnglish));
        _byAdministrativeCode = districts.Where(d => d.AdministrativeCode is not null).ToDictionary(d => d.AdministrativeCode!, StringComparer.Ordinal);
        MinLatitude = districts.Min(d => d.MinLatitude);
        MaxLatitude = districts.Max(d => d.MaxLatitude);
        MinLongitude = districts.Min(d => d.MinLongitude);
        MaxLongitude = districts.Max(d => d.MaxLongitude);
        Bounds = name == SeoulName ? RegionBounds.Seoul : new RegionBounds("Korea", MinLatitude, MinLongitude, MaxLatitude, MaxLongitude);
    }

    public static Region Seoul { get; } = new(SeoulName, SeoulDistricts.All);

    /// <summary>The region a configuration names; <paramref name="seed"/> picks the synthetic nation's layout.</summary>
    public static Region Named(string name, int seed) => name switch
    {
        SeoulName => Seoul,
        KoreaName => new Region(KoreaName, SyntheticKorea.Districts(seed)),
        _ => throw new ArgumentException($"There is no region '{name}'; expected one of: {string.Join(", ", Names)}.", nameof(name)),
    };

    public string Name { get; }

    public IReadOnlyList<DistrictReference> Districts { get; }

    public IReadOnlyList<string> Codes { get; }

    public RegionBounds Bounds { get; }

    public double MinLatitude { get; }
    public double MaxLatitude { get; }
    public double MinLongitude { get; }
    public double MaxLongitude { get; }

    /// <summary>Where the region's places are named in messages: "Seoul" or "Korea".</summary>
    public string DisplayName => Bounds.Name;

    public DistrictReference? Find(string code) => _byCode.GetValueOrDefault(code);

    public bool Serves(string code) => _byCode.ContainsKey(code);

    public (string Name, string NameEnglish)? NameOf(string code) => Find(code) is { } d ? (d.Name, d.NameEnglish) : null;

    public string? Named(string name) =>
        (_byKoreanName.GetValueOrDefault(KoreanName(name)) ?? _byEnglishName.GetValueOrDefault(EnglishName(name)))?.Code;

    public string? WithAdministrativeCode(string code) =>
        code.Trim() is { Length: >= 5 } digits && digits.All(char.IsAsciiDigit) ? _byAdministrativeCode.GetValueOrDefault(digits[..5])?.Code : null;

    public (GeoPoint Centroid, double AreaKm2)? PlaceOf(string code) => Find(code) is { } d ? (d.Centroid, d.AreaKm2) : null;

    // "서울특별시 종로구" (an administrative name, city first) is 종로구.
    private static string KoreanName(string name) => LettersAndDigits(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "");

    // "Jongno-gu", "Jongno-Gu" and "Jongno gu" are one name.
    private static string EnglishName(string name) => LettersAndDigits(name);

    private static string LettersAndDigits(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static Dictionary<string, DistrictReference> Unique(IEnumerable<DistrictReference> districts, Func<DistrictReference, string> key) =>
        districts.GroupBy(key).Where(g => g.Key.Length > 0 && g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());

    /// <summary>Inside the region's envelope: a cheap first gate before district lookup. Seoul keeps its published envelope.</summary>
    public bool Contains(GeoPoint p) => Bounds.Contains(p);
}
