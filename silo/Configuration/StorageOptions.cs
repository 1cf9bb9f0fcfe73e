using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Silo.Configuration;

/// <summary>Section "Storage": where the embedded database and working files (relay segments, keys) live.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "safetynet.db");
}
