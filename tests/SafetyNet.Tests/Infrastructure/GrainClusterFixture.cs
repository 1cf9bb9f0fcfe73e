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

    public async Task InitializeAsync()
    {
        Database = SafetyNetDatabase.ForSqliteFile(Path.Combine(_directory, "grains.db"));
        SafetyNetDatabase.RegisterProviderFactories();
        await new SchemaMigrator(Database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:HeartbeatTimeout"] = HeartbeatTimeout.ToString(),
            ["Demo:Seed"] = "false",
            ["Demo:DistrictBoundaries"] = SharedData.DistrictBoundaries,
            ["Index:RefreshInterval"] = "00:00:00.200",
            ["Media:WorkingDirectory"] = Path.Combine(_directory, "media"),
            ["Audit:SigningKeyPath"] = Path.Combine(_directory, "audit-checkpoint-key.pem"),
            ["StateSeal:KeyPath"] = Path.Combine(_directory, "state-seal.key"),
            ["Audit:WitnessPath"] = Path.Combine(_directory, "audit-witness.jsonl"),
            // AuditChainTests edits search keys and expects verify to find the edit, not the node's own comparison.
            ["Audit:SearchKeys:ScrubInterval"] = "1.00:00:00",
            ["Retention:ArchiveDirectory"] = Path.Combine(_directory, "audit-archive"),
            ["Evidence:Directory"] = Path.Combine(_directory, "evidence"),
            ["Evidence:SigningKeyPath"] = Path.Combine(_directory, "evidence-key.pem"),
        }).Build();

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSafetyNetGrainServices(configuration, Database);
            host.Services.AddSingleton(new NodeEndpoint(null));
            host.Services.AddSafetyNetMedia(configuration);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSafetyNetStorage(Database);
            silo.UseInMemoryReminderService();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

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
