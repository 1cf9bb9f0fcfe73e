namespace SafetyNet.Tests.Infrastructure;

/// <summary>The ffmpeg relays on this machine for one camera, whichever node started them (found by their argv tag).</summary>
public static class RelayProcessScan
{
    public static IReadOnlyList<int> For(string camera) => Directory.GetDirectories("/proc")
        .Where(dir => int.TryParse(Path.GetFileName(dir), out _))
        .Where(dir =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0').Any(arg => arg.Contains("safetynet-relay:") && arg.EndsWith($":{camera}", StringComparison.Ordinal));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        })
        .Select(dir => int.Parse(Path.GetFileName(dir)))
        .Order()
        .ToList();
}
