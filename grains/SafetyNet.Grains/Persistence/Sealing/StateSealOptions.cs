using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Persistence.Sealing;

/// <summary>
/// Section "StateSeal": the key that seals stored state (grain state, grant rows) against whoever can read or write the
/// database. Every node of a cluster must hold the same key; it is never stored in the database.
/// </summary>
public sealed class StateSealOptions
{
    public const string Section = "StateSeal";

    /// <summary>A file holding 32 random bytes in base64. Default: state-seal.key in the data directory.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "StateSeal:KeyPath must name the file that holds (or will hold) the state sealing key.")]
    public string KeyPath { get; set; } = "";

    /// <summary>
    /// Create the key (mode 600) when the file does not exist. Only a single node may: cluster nodes default to false, since
    /// each would make its own key and none could read what another wrote.
    /// </summary>
    public bool GenerateKey { get; set; } = true;

    /// <summary>Files of keys that stored state may still be sealed with during a rotation: opened with, never sealed with.</summary>
    public string[] PreviousKeyPaths { get; set; } = [];

    /// <summary>
    /// Read state stored before sealing (plain JSON) while a database written by an older version is upgraded; each
    /// such grain state is sealed as it is read, a grant row at its next write. Off, an unsealed record is refused like a forged one: a database writer could
    /// otherwise write plain state that the node would believe.
    /// </summary>
    public bool AcceptUnsealedState { get; set; }
}
