using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Cameras;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Media;

namespace SafetyNet.Tests.Masks;

/// <summary>Polygon validation, the mask picture, which files a rendition reaches, and who may lift masks: pure rules, no node.</summary>
public sealed class PrivacyMaskRuleTests
{
    private static readonly PrivacyMaskOptions Options = new() { MaxPolygons = 2, MaxPointsPerPolygon = 5 };

    internal static MaskPolygon Polygon(params double[] xy) => new(xy.Chunk(2).Select(p => new MaskPoint(p[0], p[1])).ToArray());

    private static readonly MaskPolygon Triangle = Polygon(0.1, 0.1, 0.5, 0.1, 0.1, 0.5);

    [Fact]
    public void Valid_polygons_pass_and_an_empty_list_clears()
    {
        Assert.Null(PrivacyMaskRules.Problem([Triangle, Polygon(0, 0, 1, 0, 1, 1, 0, 1)], Options));
        Assert.Null(PrivacyMaskRules.Problem([], Options));
    }

    public static TheoryData<MaskPolygon[]?, string> Invalid => new()
    {
        { null, "polygons is required" },
        { [Triangle, Triangle, Triangle], "at most 2 mask polygons" },
        { [Polygon(0.1, 0.1, 0.5, 0.5)], "polygons[0] must have 3 to 5 points" },
        { [Polygon(0, 0, 1, 0, 1, 1, 0, 1, 0.5, 0.5, 0.2, 0.2)], "polygons[0] must have 3 to 5 points" },
        { [new MaskPolygon(null!)], "polygons[0] must have 3 to 5 points" },
        { [Triangle, Polygon(0.1, 0.1, 1.2, 0.1, 0.1, 0.5)], "polygons[1].points[1]" },
        { [Polygon(0.1, -0.1, 0.5, 0.1, 0.1, 0.5)], "polygons[0].points[0]" },
        { [Polygon(0.1, 0.1, double.NaN, 0.1, 0.1, 0.5)], "polygons[0].points[1]" },
        { [Polygon(0.1, 0.1, double.PositiveInfinity, 0.1, 0.1, 0.5)], "polygons[0].points[1]" },
        { [new MaskPolygon([new MaskPoint(0.1, 0.1), null!, new MaskPoint(0.2, 0.2)])], "polygons[0].points[1]" },
        { [Polygon(0.1, 0.1, 0.2, 0.2, 0.3, 0.3)], "encloses no area" },
    };

    [Theory, MemberData(nameof(Invalid))]
    public void Invalid_polygons_are_refused_naming_what_is_wrong(MaskPolygon[]? polygons, string expected) =>
        Assert.Contains(expected, PrivacyMaskRules.Problem(polygons, Options));

    [Fact]
    public void The_mask_picture_is_opaque_fill_inside_each_polygon_and_transparent_elsewhere()
    {
        // A concave "C" shape: its notch (0.45..0.55 wide, 0.4..0.6 high) is outside, though inside its bounding box.
        var c = Polygon(0.2, 0.2, 0.6, 0.2, 0.6, 0.4, 0.4, 0.4, 0.4, 0.6, 0.6, 0.6, 0.6, 0.8, 0.2, 0.8);
        var image = MaskImage.Render([c, Polygon(0.8, 0.1, 0.9, 0.1, 0.9, 0.2)], "#102030");
        var pixels = image.AsSpan(image.Length - MaskImage.Width * MaskImage.Height * 4).ToArray();
        (byte R, byte G, byte B, byte A) At(double x, double y)
        {
            var i = ((int)(y * MaskImage.Height) * MaskImage.Width + (int)(x * MaskImage.Width)) * 4;
            return (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]);
        }
        Assert.StartsWith("P7\nWIDTH 1280\nHEIGHT 720\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n", System.Text.Encoding.ASCII.GetString(image, 0, 70));
        Assert.Equal((0x10, 0x20, 0x30, 255), At(0.3, 0.5));
        Assert.Equal((0x10, 0x20, 0x30, 255), At(0.5, 0.3));
        Assert.Equal((0x10, 0x20, 0x30, 255), At(0.88, 0.12));
        Assert.Equal(0, At(0.5, 0.5).A);
        Assert.Equal(0, At(0.1, 0.1).A);
        Assert.Equal(0, At(0.7, 0.5).A);
        Assert.Equal(0, At(0.82, 0.18).A);
    }

    [Fact]
    public void A_masked_lease_reaches_only_masked_files_and_an_unmasked_lease_only_the_original()
    {
        Assert.Equal("masked.m3u8", CameraFiles.ServedName("index.m3u8", MediaRendition.Masked));
        Assert.Equal("masked-seg-17.ts", CameraFiles.ServedName("masked-seg-17.ts", MediaRendition.Masked));
        Assert.All(["seg-17.ts", "latest.jpg", "masked.m3u8", "mask.pam", "../x/seg-1.ts"], name => Assert.Null(CameraFiles.ServedName(name, MediaRendition.Masked)));
        Assert.Equal("index.m3u8", CameraFiles.ServedName("index.m3u8", MediaRendition.Original));
        Assert.Equal("seg-17.ts", CameraFiles.ServedName("seg-17.ts", MediaRendition.Original));
        Assert.All(["masked-seg-17.ts", "masked.m3u8", "mask.pam"], name => Assert.Null(CameraFiles.ServedName(name, MediaRendition.Original)));
    }

    private static readonly AgencyInfo Police = new("police-jung", "Jung police", AgencyKind.PoliceStation, false, ["11020"]);
    private static readonly AccessGrant PlainGrant = new("inc-1/police-jung", "police-jung", AccessPurpose.EmergencyResponse, "inc-1", DateTimeOffset.UnixEpoch,
        DateTimeOffset.MaxValue, ["cam"]);
    private static readonly AccessDecision ByGrant = new(true, DecisionReasons.IncidentGrant, "cam", PlainGrant.GrantId, "inc-1");
    private static readonly AccessDecision ByStanding = new(true, DecisionReasons.StandingPolicy, "cam");

    private static AccessDecision Decide(AccessDecision access, bool masked, AccessGrant grant, bool supervisor, bool unmasked, string? reason) =>
        UnmaskRules.Decide(access, masked, [grant], new AccessSubject("s", "op", Police, supervisor), new AccessRequest("cam", AccessPurpose.EmergencyResponse, "inc-1", unmasked, reason));

    [Fact]
    public void Unmasked_needs_a_grant_that_carries_it_or_a_supervisor_and_always_a_reason()
    {
        Assert.Equal(DecisionReasons.UnmaskedNotAllowed, Decide(ByGrant, true, PlainGrant, false, true, "why").Reason);
        Assert.False(Decide(ByGrant, true, PlainGrant, false, true, "why").Allowed);
        Assert.True(Decide(ByGrant, true, PlainGrant with { Unmasked = true }, false, true, "why").Unmasked);
        Assert.True(Decide(ByStanding, true, PlainGrant with { Unmasked = true }, true, true, "why").Unmasked);
        // A grant that carries the right helps only the decision it made.
        Assert.Equal(DecisionReasons.UnmaskedNotAllowed, Decide(ByStanding, true, PlainGrant with { Unmasked = true }, false, true, "why").Reason);
        Assert.Equal(DecisionReasons.UnmaskedReasonRequired, Decide(ByStanding, true, PlainGrant, true, true, " ").Reason);
    }

    [Fact]
    public void Asking_nothing_unmasked_or_for_an_unmasked_camera_leaves_the_decision_as_it_was()
    {
        Assert.Same(ByStanding, Decide(ByStanding, true, PlainGrant, false, false, null));
        Assert.Same(ByStanding, Decide(ByStanding, false, PlainGrant, false, true, "why"));
        var denied = AccessDecision.Deny("cam", DecisionReasons.NoRule);
        Assert.Same(denied, Decide(denied, true, PlainGrant, true, true, "why"));
    }
}
