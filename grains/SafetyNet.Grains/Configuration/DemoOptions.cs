using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Configuration;

/// <summary>Section "Demo": the generated demo city.</summary>
public sealed class DemoOptions : IValidatableObject
{
    public const string Section = "Demo";

    /// <summary>Seed the demo city when the database has never been seeded.</summary>
    public bool Seed { get; set; }

    [Range(0, 2_000_000)]
    public int Cameras { get; set; } = 68_000;

    /// <summary>The districts served: <c>seoul</c> (Seoul's 25) or <c>korea</c> (a synthetic nation of 241 local governments, Seoul's included).</summary>
    public string Region { get; set; } = Reference.Region.SeoulName;

    /// <summary>Seed number of the generator: the same number gives the same city.</summary>
    public int RandomSeed { get; set; } = 2017;

    /// <summary>
    /// Path of the district boundary GeoJSON; when absent, cameras are placed by centroid and area. Whether the node can
    /// use the file is checked by <see cref="DistrictBoundariesFile"/>.
    /// </summary>
    public string? DistrictBoundaries { get; set; }

    /// <summary>The ffmpeg input the demo cameras stream from, unless a test camera is configured.</summary>
    [Required]
    public string StreamUrl { get; set; } = "lavfi:testsrc2=size=426x240:rate=10";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Reference.Region.Names.Contains(Region))
            yield return new ValidationResult($"Demo:Region is '{Region}'; it must be one of: {string.Join(", ", Reference.Region.Names)}.", [nameof(Region)]);
        if (!string.IsNullOrWhiteSpace(DistrictBoundaries) && !File.Exists(DistrictBoundaries))
            yield return new ValidationResult(
                $"Demo:DistrictBoundaries points at '{Path.GetFullPath(DistrictBoundaries)}', which does not exist. " +
                "Point it at seoul-districts.geojson, or set it empty to place cameras by district centroid and area.",
                [nameof(DistrictBoundaries)]);
    }
}
