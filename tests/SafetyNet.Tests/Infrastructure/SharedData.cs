namespace SafetyNet.Tests.Infrastructure;

/// <summary>Locates ../shared/data (beside the repository) from the test binaries, as in development and CI.</summary>
public static class SharedData
{
    public static string DistrictBoundaries { get; } = Find("seoul-districts.geojson");

    private static string Find(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", file);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Could not find shared/data/{file} beside the repository.");
    }
}
