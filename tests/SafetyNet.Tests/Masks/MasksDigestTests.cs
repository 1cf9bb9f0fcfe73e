using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Cameras;
using static SafetyNet.Tests.Masks.PrivacyMaskRuleTests;

namespace SafetyNet.Tests.Masks;

/// <summary>The fingerprint a district keeps of a camera's masks tells the masks last set from any other set.</summary>
public sealed class MasksDigestTests
{
    private static readonly MaskPolygon Window = Polygon(0.1, 0.1, 0.2, 0.1, 0.2, 0.2);
    private static readonly MaskPolygon Door = Polygon(0.5, 0.5, 0.6, 0.5, 0.6, 0.7);

    [Fact]
    public void The_same_masks_give_the_same_fingerprint() =>
        Assert.Equal(MasksDigest.Of([Window, Door]), MasksDigest.Of([Polygon(0.1, 0.1, 0.2, 0.1, 0.2, 0.2), Polygon(0.5, 0.5, 0.6, 0.5, 0.6, 0.7)]));

    [Fact]
    public void Masks_that_differ_in_a_point_in_order_or_in_how_points_are_grouped_differ()
    {
        var fingerprints = new[]
        {
            MasksDigest.Of([Window, Door]),
            MasksDigest.Of([Door, Window]),
            MasksDigest.Of([Window]),
            MasksDigest.Of([Window, Polygon(0.5, 0.5, 0.6, 0.5, 0.6, 0.7000001)]),
            // The same six points as one polygon and as two.
            MasksDigest.Of([Polygon(0.1, 0.1, 0.2, 0.1, 0.2, 0.2, 0.5, 0.5, 0.6, 0.5, 0.6, 0.7)]),
            MasksDigest.Of([]),
        };
        Assert.Equal(fingerprints.Length, fingerprints.Distinct().Count());
    }
}
