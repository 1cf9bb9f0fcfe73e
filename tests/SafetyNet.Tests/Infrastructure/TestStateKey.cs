using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafetyNet.Grains.Persistence.Sealing;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>
/// The state sealing key that every node of a test's cluster shares, as a deployment gives each node a copy of one key
/// (a node on PostgreSQL creates none of its own). One file per test run, mode 600.
/// </summary>
public static class TestStateKey
{
    private static readonly Lazy<string> File = new(() =>
    {
        var path = System.IO.Path.Combine(Directory.CreateTempSubdirectory("safetynet-state-key-").FullName, "state-seal.key");
        System.IO.File.WriteAllText(path, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        if (!OperatingSystem.IsWindows()) System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    });

    public static string Path => File.Value;

    /// <summary>A seal over the shared key, for a store exercised alone.</summary>
    public static StateSeal Seal { get; } = new(Options.Create(new StateSealOptions { KeyPath = Path, GenerateKey = false }), NullLogger<StateSeal>.Instance);
}
