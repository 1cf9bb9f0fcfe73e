namespace SafetyNet.Contracts.Misuse;

/// <summary>
/// The one rule runner of the cluster (key: 0): on a timer, it reads the ledger entries after the last one it processed
/// and raises flags. Every silo pokes it, so it is running again soon after its silo fails.
/// </summary>
[Alias("misuse-watch")]
public interface IMisuseWatchGrain : IGrainWithIntegerKey
{
    [Alias("ensure-running")]
    Task EnsureRunningAsync();
}
