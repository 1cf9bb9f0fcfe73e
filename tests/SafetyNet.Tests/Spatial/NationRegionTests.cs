using Microsoft.Extensions.Logging.Abstractions;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Demo;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Tests.Spatial;

/// <summary>The synthetic nation's districts, without a node.</summary>
public sealed class NationRegionTests
{
    private static readonly Region Korea = Region.Named(Region.KoreaName, 2017);

    [Fact]
    public void The_synthetic_nation_has_230_to_250_districts_over_Korea_with_Seouls_real_25_and_is_the_same_for_a_seed()
    {
        Assert.InRange(Korea.Districts.Count, 230, 250);
        Assert.Equal(Korea.Districts.Count, Korea.Districts.Select(d => d.Code).Distinct().Count());
        Assert.All(SeoulDistricts.All, d => Assert.Same(d, Korea.Find(d.Code)));
        Assert.All(Korea.Districts, d =>
        {
            Assert.InRange(d.Centroid.Latitude, 33.0, 38.7);
            Assert.InRange(d.Centroid.Longitude, 125.9, 129.7);
            Assert.True(d.BoxContains(d.Centroid));
        });
        Assert.All(Korea.Districts.Where(d => !SeoulDistricts.All.Contains(d)), d => Assert.False(SeoulBounds.Contains(d.Centroid)));
        var again = Region.Named(Region.KoreaName, 2017);
        Assert.Equal(Korea.Districts.Select(d => $"{d.Code}@{d.Centroid}"), again.Districts.Select(d => $"{d.Code}@{d.Centroid}"));
        Assert.NotEqual(Korea.Districts.Select(d => d.Centroid), Region.Named(Region.KoreaName, 1).Districts.Select(d => d.Centroid));
    }

    [Fact]
    public void Generated_cameras_lie_in_their_own_district_and_the_apportionment_adds_up()
    {
        var boundaries = DistrictBoundaries.Load(Infrastructure.SharedData.DistrictBoundaries, Korea, NullLogger.Instance);
        var locator = new DistrictLocator(boundaries, Korea);
        var counts = DemoCityGenerator.Apportion(Korea.Districts, 20_000);
        Assert.Equal(20_000, counts.Values.Sum());
        var generator = new DemoCityGenerator(locator, 2017, "lavfi:testsrc");
        var cameras = Korea.Districts.SelectMany(d => generator.Generate(d, counts[d.Code])).ToArray();
        Assert.Equal(cameras.Length, cameras.Select(c => c.Id).Distinct().Count());
        var misplaced = cameras.Count(c => locator.Locate(c.Position) != c.DistrictCode);
        Assert.True(misplaced < cameras.Length / 200, $"{misplaced} of {cameras.Length} cameras are not located in their own district");
        Assert.Null(locator.Locate(new GeoPoint(40.0, 127.0)));
    }

    [Fact]
    public void The_served_districts_are_the_regions_and_an_unknown_code_is_named_in_the_regions_words()
    {
        IServedDistricts korea = Korea, seoul = Region.Seoul;
        Assert.Equal(Korea.Districts.Select(d => d.Code), korea.Codes);
        Assert.Equal(SeoulDistricts.All.Select(d => d.Code), seoul.Codes);
        var busan = Korea.Districts.First(d => d.Code.StartsWith("21", StringComparison.Ordinal));
        Assert.True(korea.Serves(busan.Code));
        Assert.False(seoul.Serves(busan.Code));
        Assert.Equal((busan.Name, busan.NameEnglish), korea.NameOf(busan.Code));
        Assert.Null(seoul.NameOf(busan.Code));
        Assert.Equal("There is no district with code '99999' in Korea.", korea.NoSuchDistrict("99999"));
        Assert.Equal($"There is no district with code '{busan.Code}' in Seoul.", seoul.NoSuchDistrict(busan.Code));
    }

    [Fact]
    public void Every_district_of_the_nation_gets_its_four_demo_agencies_with_unique_stable_ids_and_Seouls_ids_are_unchanged()
    {
        var agencies = DemoAgencies.For(Korea);
        Assert.Equal(agencies.Count, agencies.Select(a => a.Id).Distinct().Count());
        var provinces = Korea.Districts.Where(d => !SeoulDistricts.Exists(d.Code)).Select(d => d.Code[..2]).Distinct().Count();
        Assert.Equal(6 + 1 + 3 * provinces + 4 * Korea.Districts.Count, agencies.Count);
        Assert.All(Korea.Districts, d => Assert.Equal(
            [AgencyKind.PoliceStation, AgencyKind.PolicePatrol, AgencyKind.FireStation, AgencyKind.DistrictControlCenter],
            agencies.Where(a => a.Districts.SequenceEqual([d.Code]) && a.Kind is not (AgencyKind.Police112Center or AgencyKind.Fire119Center or AgencyKind.DisasterRoom))
                .Select(a => a.Kind)));
        // Seoul's ids are those of a Seoul deployment (e.g. control-jung), so tokens and tests written for Seoul still hold.
        Assert.Subset(agencies.Select(a => a.Id).ToHashSet(), DemoAgencies.Seoul.Select(a => a.Id).ToHashSet());
        Assert.Contains(DemoAgencies.Seoul, a => a.Id == "control-jung" && a.Districts.SequenceEqual(["11020"]));
        // Elsewhere the id carries the code, since a name may repeat across provinces.
        var busan = Korea.Districts.First(d => d.Code == "21010");
        Assert.Contains(agencies, a => a.Id == "control-busan-1-21010" && a.Name == $"{busan.NameEnglish} CCTV Integrated Control Center");
        Assert.Equal(agencies.Select(a => a.Id), DemoAgencies.For(Region.Named(Region.KoreaName, 2017)).Select(a => a.Id));
    }

    [Fact]
    public void In_a_nation_Seouls_rooms_answer_for_Seoul_only_each_province_has_its_own_and_the_national_board_audits_all()
    {
        var agencies = DemoAgencies.For(Korea).ToDictionary(a => a.Id);
        var seoul = Korea.Districts.Where(d => SeoulDistricts.Exists(d.Code)).Select(d => d.Code).ToArray();
        foreach (var id in new[] { "seoul-112", "seoul-119", "seoul-disaster-room", "seoul-sos-center", "seoul-audit" })
        {
            Assert.False(agencies[id].CityWide, id);
            Assert.Equal(seoul, agencies[id].Districts);
        }
        var busan = Korea.Districts.Where(d => d.Code.StartsWith("21", StringComparison.Ordinal)).Select(d => d.Code).ToArray();
        foreach (var (id, kind) in new[] { ("busan-112", AgencyKind.Police112Center), ("busan-119", AgencyKind.Fire119Center), ("busan-disaster-room", AgencyKind.DisasterRoom) })
        {
            Assert.Equal(kind, agencies[id].Kind);
            Assert.Equal(busan, agencies[id].Districts);
        }
        Assert.All(Korea.Districts, d => Assert.Single(agencies.Values, a => a.Kind == AgencyKind.Police112Center && a.HasJurisdictionOver(d.Code)));
        Assert.True(agencies["national-audit"].CityWide);
        Assert.Equal(AgencyKind.AuditOffice, agencies["national-audit"].Kind);

        // A Seoul deployment is unchanged: its rooms are city-wide and there is no national board.
        Assert.True(DemoAgencies.Seoul.Single(a => a.Id == "seoul-112").CityWide);
        Assert.DoesNotContain(DemoAgencies.Seoul, a => a.Id == "national-audit");
    }
}
