namespace SafetyNet.Contracts.Evidence;

public static class EvidenceLimits
{
    /// <summary>The largest bundle the verify endpoint takes, and the most an uploaded zip may expand to.</summary>
    public const long MaxBundleBytes = 512L * 1024 * 1024;
}
