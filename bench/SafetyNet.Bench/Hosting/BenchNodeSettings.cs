namespace SafetyNet.Bench.Hosting;

/// <summary>
/// The configuration every benchmarked node gets: the 68,000-camera demo city on a fresh data directory, free ports, no
/// API rate limit, development tokens, and sessions that outlive the run. Keys are in configuration form ("Section:Key").
/// </summary>
public static class BenchNodeSettings
{
    public const int Cameras = 68_000;
    public const int RandomSeed = 2017;

    public static Dictionary<string, string?> For(string dataDirectory) => new()
    {
        ["Storage:DataDirectory"] = dataDirectory,
        ["Cluster:SiloPort"] = FreePorts.Next().ToString(),
        ["Cluster:GatewayPort"] = FreePorts.Next().ToString(),
        ["Demo:Seed"] = "true",
        ["Demo:Cameras"] = Cameras.ToString(),
        ["Demo:RandomSeed"] = RandomSeed.ToString(),
        ["Demo:DistrictBoundaries"] = RepositoryPaths.DistrictBoundaries,
        ["Api:RateLimitPerSecond"] = "0",
        ["AuditRateLimit:Burst"] = "0",
        ["Auth:DevelopmentTokens"] = "true",
        ["Sessions:HeartbeatTimeout"] = "01:00:00",
    };

    public static string NewDataDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"safetynet-bench-{Guid.NewGuid():N}")).FullName;
}
