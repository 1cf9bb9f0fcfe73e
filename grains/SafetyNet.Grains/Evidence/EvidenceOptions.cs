using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Evidence;

/// <summary>Section "Evidence": signed exports of clips and snapshots, where they are kept, and for how long.</summary>
public sealed class EvidenceOptions
{
    public const string Section = "Evidence";

    /// <summary>Where exports are stored, one folder each. Default: evidence/ in the data directory. In a cluster, storage every node mounts.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Evidence:Directory must name the folder evidence exports are stored in.")]
    public string Directory { get; set; } = "";

    /// <summary>PEM (PKCS#8) ECDSA P-256 private key that signs this node's manifests; separate from the audit key. Default: evidence-key.pem in the data directory.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Evidence:SigningKeyPath must name the file that holds (or will hold) this node's evidence signing key.")]
    public string SigningKeyPath { get; set; } = "";

    /// <summary>Create the key (mode 600) when the file does not exist. Production provisions the key and sets this to false.</summary>
    public bool GenerateSigningKey { get; set; } = true;

    /// <summary>PEM public evidence keys of the other nodes (or earlier keys of this one), so that any node verifies any node's export.</summary>
    public string[] TrustedPublicKeys { get; set; } = [];

    /// <summary>The longest clip one export may ask for; what it holds is also bounded by the relay's live window.</summary>
    [Range(1, 600, ErrorMessage = "Evidence:MaxClipSeconds must be between 1 and 600.")]
    public int MaxClipSeconds { get; set; } = 30;

    /// <summary>How long an export's files are kept after it was made; then the sweep deletes them and writes evidence-deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "Evidence:RetentionPeriod must be between 00:00:01 and 3650.00:00:00.")]
    public TimeSpan RetentionPeriod { get; set; } = TimeSpan.FromDays(730);

    /// <summary>How often each node looks for exports past their retention.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00", ErrorMessage = "Evidence:SweepInterval must be between 00:00:00.100 and 1.00:00:00.")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}
