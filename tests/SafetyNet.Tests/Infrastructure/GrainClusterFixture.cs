using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;
using SafetyNet.Grains;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Persistence;
using SafetyNet.Silo.Hosting;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>
/// An Orleans TestingHost cluster running the real grains on the real SQLite provider and ledger (in a temp folder),
/// with short session timeouts so that expiry can be observed.
/// </summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("safetynet-grains-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public SafetyNetDatabase Database { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync() => (Cluster, Database) = await StartAsync(_directory, silos: 1);

    /// <summary>
    /// <paramref name="silos"/> silos in this process over one SQLite file in <paramref name="directory"/>, each with its own
    /// media folder, relay tag, ledger witness and keys; <paramref name="decorate"/> adds or replaces services of the silo named.
    /// </summary>
    public static async Task<(InProcessTestCluster Cluster, SafetyNetDatabase Database)> StartAsync(string directory, int silos,
        IDictionary<string, string?>? settings = null, Action<string, IServiceCollection>? decorate = null)
    {
        var database = SafetyNetDatabase.ForSqliteFile(Path.Combine(directory, "grains.db"));
        SafetyNetDatabase.RegisterProviderFactories();
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();

        // One sealing key for the cluster, as production gives every node a copy; made here so that no two silos race to create it.
        File.WriteAllText(Path.Combine(directory, "state-seal.key"), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSiloHost((silo, host) =>
        {
            var configuration = Configuration(Path.Combine(directory, silo.SiloName), settings);
            host.Services.AddSafetyNetGrainServices(configuration, database);
            host.Services.AddSingleton(new NodeEndpoint(null));
            host.Services.AddSafetyNetMedia(configuration);
            decorate?.Invoke(silo.SiloName, host.Services);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSafetyNetStorage(database);
            silo.UseInMemoryReminderService();
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return (cluster, database);
    }

    private static IConfiguration Configuration(string siloDirectory, IDictionary<string, string?>? settings) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Sessions:HeartbeatTimeout"] = HeartbeatTimeout.ToString(),
        ["Demo:Seed"] = "false",
        ["Demo:DistrictBoundaries"] = SharedData.DistrictBoundaries,
        ["Index:RefreshInterval"] = "00:00:00.200",
        ["Media:WorkingDirectory"] = Path.Combine(siloDirectory, "media"),
        ["Media:NodeTag"] = $"grains-{Guid.NewGuid():N}"[..20],
        ["Audit:SigningKeyPath"] = Path.Combine(siloDirectory, "audit-checkpoint-key.pem"),
        ["StateSeal:KeyPath"] = Path.Combine(Path.GetDirectoryName(siloDirectory)!, "state-seal.key"),
        ["StateSeal:GenerateKey"] = "false",
        ["Audit:WitnessPath"] = Path.Combine(siloDirectory, "audit-witness.jsonl"),
        // AuditChainTests edits search keys and expects verify to find the edit, not the node's own comparison.
        ["Audit:SearchKeys:ScrubInterval"] = "1.00:00:00",
        ["Retention:ArchiveDirectory"] = Path.Combine(siloDirectory, "audit-archive"),
        ["Evidence:Directory"] = Path.Combine(siloDirectory, "evidence"),
        ["Evidence:SigningKeyPath"] = Path.Combine(siloDirectory, "evidence-key.pem"),
    }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class GrainClusterCollection : ICollectionFixture<GrainClusterFixture>
{
    public const string Name = "grain-cluster";
}
