using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafetyNet.Grains.Audit;
using SafetyNet.Silo.Configuration;

namespace SafetyNet.Silo.Hosting;

/// <summary>
/// <c>audit-verify --witness FILE [--witness FILE] --public-key PEM [--public-key PEM] [--archive DIR]</c>: checks the node's
/// configured database, and the archive files of the rows retention moved out of it, against witness files and public keys
/// an auditor brings (copied off the node), without starting a node or touching the schema. Prints the verification as JSON; exit code 0 intact, 1 not intact, 2 wrong usage.
/// </summary>
public static class OfflineAuditVerify
{
    public const string Verb = "audit-verify";

    public static async Task<int> RunAsync(string[] args)
    {
        var witnesses = Values(args, "--witness");
        var keyFiles = Values(args, "--public-key");
        var archives = Values(args, "--archive");
        if (witnesses.Count is 0 or > 2 || keyFiles.Count == 0 || archives.Count > 1)
        {
            Console.Error.WriteLine($"usage: {Verb} --witness FILE [--witness FILE] --public-key PEM [--public-key PEM ...] [--archive DIR]   (the database comes from the node's configuration)");
            return 2;
        }
        if (archives.Count == 1 && !Directory.Exists(archives[0]))
        {
            Console.Error.WriteLine($"{Verb}: no such archive directory: {archives[0]}");
            return 2;
        }
        var missing = witnesses.Concat(keyFiles).Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"{Verb}: no such file: {string.Join(", ", missing)}");
            return 2;
        }

        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables().AddCommandLine(args.Where(a => a != Verb).ToArray()).Build();
        var database = DatabaseSelection.Select(configuration.BindValidated<NodeClusterOptions>(NodeClusterOptions.Section),
            configuration.BindValidated<StorageOptions>(StorageOptions.Section), configuration);
        CheckpointKeyRing ring;
        try { ring = new CheckpointKeyRing(keyFiles.Select(f => CheckpointPublicKey.FromPem(File.ReadAllText(f)))); }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            Console.Error.WriteLine($"{Verb}: a public key is not an ECDSA P-256 key in PEM: {e.Message}");
            return 2;
        }
        var witness = new CheckpointWitness(Options.Create(new AuditCheckpointOptions { WitnessPath = witnesses[0], SecondWitnessPath = witnesses.ElementAtOrDefault(1) }),
            NullLogger<CheckpointWitness>.Instance);

        var result = await LedgerVerification.VerifyAsync(new AuditStore(database), new CheckpointStore(database), ring, witness.Read(), archives.SingleOrDefault());
        Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        return result.Intact ? 0 : 1;
    }

    /// <summary>Every value given after <paramref name="name"/> on the command line.</summary>
    public static List<string> Values(string[] args, string name) =>
        args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToList();
}
