using SafetyNet.Contracts.Geo;

namespace SafetyNet.Tests.Spatial;

/// <summary>
/// Korean grid coordinates back to WGS84. The grid positions are PROJ's (cs2cs 9, EPSG:4326 to each system; for the
/// Korean 1985 grids with PROJ's datum shift) of five places: Seoul City Hall, Gangnam station, Busan, Jeju and Ulleungdo.
/// </summary>
public sealed class GeoJsonCrsTests
{
    private static readonly GeoPoint[] Places =
    [
        new(37.5663, 126.9779), new(37.4979, 127.0276), new(35.1796, 129.0756), new(33.4996, 126.5312), new(37.4845, 130.9057),
    ];

    public static TheoryData<int, double[]> GridPositions => new()
    {
        { 5179, [953892.2108, 1952009.9410, 958243.2360, 1944398.1314, 1143467.3797, 1688281.9821, 910010.5457, 1501279.7889, 1301138.6779, 1948256.8285] },
        { 5181, [198047.5268, 451862.8350, 202440.6106, 444271.4086, 389076.8036, 188993.7560, 156437.5196, 758.4815, 545504.5970, 449956.4392] },
        { 5185, [374750.9241, 553701.9818, 379306.2350, 546202.8174, 571345.3345, 294636.9985, 342290.3255, 101709.6642, 722563.3589, 559205.9261] },
        { 5186, [198047.5268, 551862.8350, 202440.6106, 544271.4086, 389076.8036, 288993.7560, 156437.5196, 100758.4815, 545504.5970, 549956.4392] },
        { 5187, [21343.5133, 553785.1333, 25575.7635, 546099.0385, 206886.2728, 287022.7228, -29436.1917, 103389.3609, 368555.3340, 544490.0253] },
        { 5188, [-155416.7878, 559475.4236, -151344.5356, 551691.9473, 24698.5862, 288716.6036, -215419.8841, 109612.5751, 191659.7563, 542788.0034] },
        { 2096, [21543.7960, 453475.6643, 25776.2000, 445789.5801, 207091.7830, 186714.4123, -29228.8195, 3076.5724, 368758.2818, 444185.5464] },
        { 2097, [198233.2321, 451557.5971, 202626.4625, 443966.1725, 389267.4982, 188689.2813, 156629.6565, 449.7707, 545693.1713, 449655.7808] },
        { 2098, [374922.1104, 453400.4264, 379477.5615, 445901.2547, 571521.3134, 194335.7963, 342467.3142, 1404.4281, 722737.6558, 458908.5670] },
        { 5173, [374666.7440, 453395.0482, 379221.9595, 445895.7447, 571257.8390, 194324.9787, 342198.7251, 1400.4643, 722481.6964, 458892.4526] },
        { 5174, [197977.9052, 451557.6553, 202370.9022, 443966.0958, 389004.1907, 188683.7815, 156361.1017, 450.9819, 545437.4101, 449645.1524] },
        { 5175, [197977.9052, 501557.6553, 202370.9022, 493966.0958, 389004.1907, 238683.7815, 156361.1017, 50450.9819, 545437.4101, 499645.1524] },
        { 5176, [21288.4279, 453481.1593, 25520.6002, 445794.9363, 206828.5340, 186714.2100, -29497.4689, 3082.9634, 368502.6388, 444180.3676] },
        { 5177, [-155457.3732, 459172.1116, -151385.1897, 451388.5112, 24655.6985, 188408.9739, -215466.0766, 9306.6865, 191621.5542, 442479.4213] },
        { 5178, [954081.4797, 1951703.8198, 958432.6532, 1944092.0143, 1143661.6916, 1687976.7239, 910206.4054, 1500970.2396, 1301330.7602, 1947955.3850] },
        { 4737, [126.9779, 37.5663, 127.0276, 37.4979, 129.0756, 35.1796, 126.5312, 33.4996, 130.9057, 37.4845] },
        { 4162, [126.980000347, 37.563503421, 127.029704177, 37.495095199, 129.077862518, 35.176518692, 126.533229565, 33.496346318, 130.908150580, 37.481663771] },
        { 3857, [14135115.1700, 4518338.4220, 14140647.7487, 4508736.7354, 14368630.0658, 4188314.9311, 14085388.7535, 3961806.8196, 14572355.8659, 4506856.7340] },
    };

    [Theory]
    [MemberData(nameof(GridPositions))]
    public void Grid_positions_come_back_to_within_a_centimetre_of_PROJ(int epsg, double[] xy)
    {
        var crs = GeoJsonCrs.Named($"urn:ogc:def:crs:EPSG::{epsg}")!;
        for (var i = 0; i < Places.Length; i++)
        {
            var point = crs.ToWgs84(xy[2 * i], xy[2 * i + 1]);
            Assert.True(GeoMath.DistanceMeters(Places[i], point) < 0.01, $"EPSG:{epsg} place {i}: {point} against {Places[i]}");
        }
    }

    [Theory]
    [InlineData(4326, true)]
    [InlineData(4737, true)]
    [InlineData(4162, true)]
    [InlineData(5179, false)]
    [InlineData(5174, false)]
    [InlineData(3857, false)]
    public void Only_longitude_and_latitude_systems_are_checked_for_degrees(int epsg, bool geographic) =>
        Assert.Equal(geographic, GeoJsonCrs.Named($"EPSG:{epsg}")!.IsGeographic);

    [Theory]
    [InlineData("EPSG:5186", 5186)]
    [InlineData("urn:ogc:def:crs:EPSG::5179", 5179)]
    [InlineData("urn:ogc:def:crs:EPSG:6.6:5181", 5181)]
    [InlineData("epsg:3857", 3857)]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", 4326)]
    [InlineData("EPSG:4326", 4326)]
    [InlineData("urn:ogc:def:crs:EPSG::5174", 5174)]
    public void The_names_converters_write_are_read(string name, int epsg) => Assert.Equal(epsg, GeoJsonCrs.Named(name)!.Epsg);

    [Theory]
    [InlineData("EPSG:32652")]
    [InlineData("EPSG:4004")]
    [InlineData("urn:ogc:def:crs:EPSG::5186x")]
    [InlineData("")]
    public void Other_systems_are_not_guessed(string name) => Assert.Null(GeoJsonCrs.Named(name));

    [Theory]
    [InlineData("""{"type":"FeatureCollection","features":[]}""", 4326)]
    [InlineData("""{"type":"FeatureCollection","crs":null,"features":[]}""", 4326)]
    [InlineData("""{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:5186"}},"features":[]}""", 5186)]
    public void A_collection_names_its_system_or_is_WGS84(string json, int epsg) =>
        Assert.Equal(epsg, GeoJsonCrs.Of(System.Text.Json.JsonDocument.Parse(json).RootElement).Epsg);

    [Theory]
    [InlineData("""{"type":"name","properties":{"name":"EPSG:32652"}}""", "'EPSG:32652'")]
    [InlineData("""{"type":"link","properties":{"href":"http://example.org/crs"}}""", "href")]
    public void A_system_not_read_here_is_refused_by_name(string crs, string named)
    {
        var collection = System.Text.Json.JsonDocument.Parse($$"""{"type":"FeatureCollection","crs":{{crs}},"features":[]}""").RootElement;
        Assert.Contains(named, Assert.Throws<InvalidDataException>(() => GeoJsonCrs.Of(collection)).Message);
    }

    [Fact]
    public void A_long_name_is_cut_in_the_refusal()
    {
        var collection = System.Text.Json.JsonDocument.Parse("{\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" + new string('x', 100_000) + "\"}}}").RootElement;
        Assert.InRange(Assert.Throws<InvalidDataException>(() => GeoJsonCrs.Of(collection)).Message.Length, 100, 400);
    }
}
