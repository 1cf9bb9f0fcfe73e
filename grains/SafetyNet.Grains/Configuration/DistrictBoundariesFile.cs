using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Grains.Configuration;

/// <summary>
/// The boundary file <c>Demo:DistrictBoundaries</c> names, read once: the settings check at start reads it, so that a
/// file the node cannot use stops it naming the setting (exit 2), and the locator is given what that check read.
/// </summary>
public sealed class DistrictBoundariesFile(ILogger<DistrictBoundaries> logger) : IValidateOptions<DemoOptions>
{
    private readonly Lock _gate = new();
    private (string Path, string Region, int Seed, DistrictBoundaries Boundaries)? _read;

    /// <summary>The boundaries the settings name, or null without a path; <see cref="InvalidDataException"/> says why a file cannot be used.</summary>
    public DistrictBoundaries? For(DemoOptions demo)
    {
        if (string.IsNullOrWhiteSpace(demo.DistrictBoundaries)) return null;
        lock (_gate)
        {
            if (_read is { } read && read.Path == demo.DistrictBoundaries && read.Region == demo.Region && read.Seed == demo.RandomSeed) return read.Boundaries;
            var boundaries = DistrictBoundaries.Load(demo.DistrictBoundaries, Region.Named(demo.Region, demo.RandomSeed), logger);
            _read = (demo.DistrictBoundaries, demo.Region, demo.RandomSeed, boundaries);
            return boundaries;
        }
    }

    // A missing file and an unknown region are named by DemoOptions' own rules.
    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DistrictBoundaries) || !File.Exists(options.DistrictBoundaries) || !Region.Names.Contains(options.Region))
            return ValidateOptionsResult.Skip;
        try
        {
            For(options);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidDataException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail($"Demo:DistrictBoundaries ({Path.GetFullPath(options.DistrictBoundaries)}) cannot be read: {e.Message}");
        }
    }
}
