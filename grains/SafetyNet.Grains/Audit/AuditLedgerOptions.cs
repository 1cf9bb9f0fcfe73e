using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Section "Audit:Ledger": how long an audited action may wait on a database that does not answer. A database that is
/// refused answers at once; one that is lost to the network (packets dropped, a hung server) would otherwise hold every
/// audited request for the driver's defaults (15 s to connect, 30 s a statement) and then the cluster's own 30 s.
/// </summary>
public sealed class AuditLedgerOptions
{
    public const string Section = "Audit:Ledger";

    /// <summary>
    /// PostgreSQL: how long the ledger's writer waits for one attempt (a batch, or a new connection with the shard's head
    /// read back) before it gives up on it, and so the longest an audited request waits on a database that went silent
    /// (a batch whose commit was already sent is waited for). A batch of a thousand entries commits in milliseconds, so
    /// this only ever ends a wait on a database that is not there. SQLite is a local file and waits on its own locks.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Audit:Ledger:WriteTimeout must be between 00:00:01 and 00:05:00.")]
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Once the writer could not reconnect, audited actions are refused at once (503) and the writer tries to reconnect
    /// this often; the first connection that works ends the refusals.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "Audit:Ledger:ReconnectInterval must be between 00:00:00.100 and 00:01:00.")]
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromSeconds(2);
}
