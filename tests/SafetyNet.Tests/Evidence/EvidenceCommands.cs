using System.Diagnostics;
using SafetyNet.Tests.Cluster;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Evidence;

/// <summary>The two offline verifications an outsider runs: our command, and the docs' openssl + sha256sum recipe (docs/evidence.md).</summary>
public static class EvidenceCommands
{
    /// <summary><c>dotnet SafetyNet.Silo.dll evidence-verify BUNDLE --public-key PEM</c>, as built; exit code 0 valid, 1 not.</summary>
    public static Task<(int ExitCode, string Output)> OfflineVerifyAsync(string bundle, string publicKey) =>
        RunAsync("dotnet", Path.GetDirectoryName(NodeProcess.SiloDll)!, NodeProcess.SiloDll, "evidence-verify", bundle, "--public-key", publicKey);

    /// <summary>The recipe from docs/evidence.md, run by bash in the bundle's folder: exit code 0 only when both checks pass.</summary>
    public static Task<(int ExitCode, string Output)> RecipeAsync(string bundleFolder, string publicKey) =>
        RunAsync("bash", bundleFolder, "-c", Recipe(), "recipe", publicKey);

    /// <summary>The shell lines between the recipe markers in docs/evidence.md, so the docs and the test cannot drift apart.</summary>
    public static string Recipe()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "evidence.md"));
        var start = doc.IndexOf("<!-- recipe:start -->", StringComparison.Ordinal);
        var end = doc.IndexOf("<!-- recipe:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/evidence.md has no recipe between <!-- recipe:start/end --> markers");
        var block = doc[start..end];
        var code = block[(block.IndexOf("```sh\n", StringComparison.Ordinal) + 6)..block.LastIndexOf("```", StringComparison.Ordinal)];
        return "set -e -o pipefail\nKEY=\"$1\"\n" + code.Replace("evidence-key.pem", "\"$KEY\"");
    }

    private static async Task<(int, string)> RunAsync(string file, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output + await errors);
    }
}
