using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Configuration;

/// <summary>Section "Index": how often each silo's replicated camera index checks the districts for changes.</summary>
public sealed class IndexOptions
{
    public const string Section = "Index";

    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);
}
