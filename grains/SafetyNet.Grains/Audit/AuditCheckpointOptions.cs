using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Audit;

/// <summary>Section "Audit": signed checkpoints of the ledger, and where their key and witness live (outside the database).</summary>
public sealed class AuditCheckpointOptions
{
    public const string Section = "Audit";

    /// <summary>How often the node signs a checkpoint when the ledger has grown; rows newer than the last checkpoint are only hash-chained.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Audit:CheckpointInterval must be between 00:00:00.100 and 01:00:00.")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>PEM (PKCS#8) ECDSA P-256 private key of this node. Default: audit-checkpoint-key.pem in the data directory.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Audit:SigningKeyPath must name the file that holds (or will hold) this node's checkpoint signing key.")]
    public string SigningKeyPath { get; set; } = "";

    /// <summary>Create the key (mode 600) when the file does not exist. Production provisions the key and sets this to false.</summary>
    public bool GenerateSigningKey { get; set; } = true;

    /// <summary>The append-only witness file every checkpoint is written to before the database. Default: audit-witness.jsonl in the data directory.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Audit:WitnessPath must name the append-only file checkpoints are witnessed in.")]
    public string WitnessPath { get; set; } = "";

    /// <summary>Optional second witness (another disk, a WORM or remote mount).</summary>
    public string? SecondWitnessPath { get; set; }

    /// <summary>PEM public keys of other nodes (or earlier keys of this one) whose checkpoints verify also checks.</summary>
    public string[] TrustedPublicKeys { get; set; } = [];
}
