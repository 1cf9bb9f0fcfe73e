using System.Security.Cryptography;
using System.Text.Json;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Evidence;

namespace SafetyNet.Silo.Hosting;

/// <summary>
/// <c>evidence-verify BUNDLE --public-key PEM [--public-key PEM ...]</c>: checks an evidence export (its folder or its zip)
/// against public keys the verifier brings, with no node, database or configuration. Prints the verification as JSON;
/// exit code 0 valid, 1 not valid, 2 wrong usage.
/// </summary>
public static class OfflineEvidenceVerify
{
    public const string Verb = "evidence-verify";

    public static int Run(string[] args)
    {
        var keyFiles = OfflineAuditVerify.Values(args, "--public-key");
        var bundle = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : null;
        if (bundle is null || keyFiles.Count == 0)
        {
            Console.Error.WriteLine($"usage: {Verb} <bundle folder or .zip> --public-key PEM [--public-key PEM ...]");
            return 2;
        }
        var missing = keyFiles.Append(bundle).Where(f => !File.Exists(f) && !Directory.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"{Verb}: no such file: {string.Join(", ", missing)}");
            return 2;
        }
        List<CheckpointPublicKey> keys;
        try { keys = keyFiles.Select(f => CheckpointPublicKey.FromPem(File.ReadAllText(f))).ToList(); }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            Console.Error.WriteLine($"{Verb}: a public key is not an ECDSA P-256 key in PEM: {e.Message}");
            return 2;
        }
        Dictionary<string, byte[]> files;
        try
        {
            if (Directory.Exists(bundle)) files = EvidenceBundle.FromDirectory(bundle);
            else
            {
                using var zip = File.OpenRead(bundle);
                files = EvidenceBundle.FromZip(zip);
            }
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"{Verb}: '{bundle}' is not an evidence bundle: {e.Message}");
            return 2;
        }
        var result = EvidenceVerifier.Verify(files, keys);
        Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        return result.Valid ? 0 : 1;
    }
}
