namespace SafetyNet.Bench.Hosting;

/// <summary>Where the repository and the shared district boundaries are, found from the working directory upwards.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string SiloDirectory => Path.Combine(Root, "silo");

    public static string DistrictBoundaries { get; } = RequireFile(Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "seoul-districts.geojson")));

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "Orleans.sln"))) return directory.FullName;
        throw new InvalidOperationException("Run the benchmarks from inside the SafetyNet repository (no Orleans.sln found above here).");
    }

    private static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"The Seoul district boundaries are missing: {path}", path);
}
