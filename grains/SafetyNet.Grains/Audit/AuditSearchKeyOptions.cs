using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Section "Audit:SearchKeys": how a running node compares the SQLite ledger's search keys (<see cref="AuditKeyIndex"/>) with
/// the ledger, so that keys edited in their file cannot hide rows from audit searches for longer than one full pass.
/// </summary>
public sealed class AuditSearchKeyOptions
{
    public const string Section = "Audit:SearchKeys";

    /// <summary>How often the next stretch of the key file is compared with the ledger.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Audit:SearchKeys:ScrubInterval must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan ScrubInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Rows compared per stretch. A pass over a ledger of N rows takes N / ScrubRows intervals: with the defaults a million
    /// rows are compared every 5 minutes, at up to 0.4 s of one core per stretch (`audit-search` bench).
    /// </summary>
    [Range(1_000, 10_000_000, ErrorMessage = "Audit:SearchKeys:ScrubRows must be between 1,000 and 10,000,000.")]
    public int ScrubRows { get; set; } = 200_000;
}
