using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Configuration;

/// <summary>Section "PrivacyMasks": how many polygons a camera may carry, and what colour covers them.</summary>
public sealed class PrivacyMaskOptions
{
    public const string Section = "PrivacyMasks";

    [Range(1, 64)]
    public int MaxPolygons { get; set; } = 16;

    [Range(3, 256)]
    public int MaxPointsPerPolygon { get; set; } = 64;

    /// <summary>The opaque fill over each polygon, #RRGGBB. Opaque rather than blurred: a blur of a face or a window can be undone.</summary>
    [Required, RegularExpression("^#[0-9A-Fa-f]{6}$", ErrorMessage = "FillColor must be #RRGGBB.")]
    public string FillColor { get; set; } = "#808080";
}
