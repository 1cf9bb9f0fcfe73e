using SafetyNet.Grains.Persistence.Sealing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Placement;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Platform;
using SafetyNet.Grains.Access;
using SafetyNet.Grains.Agencies;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Audit.Archive;
using SafetyNet.Grains.Cameras;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Context;
using SafetyNet.Grains.Districts;
using SafetyNet.Grains.Demo;
using SafetyNet.Grains.Evidence;
using SafetyNet.Grains.Incidents;
using SafetyNet.Grains.Media.Placement;
using SafetyNet.Grains.Misuse;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Platform;
using SafetyNet.Grains.Notifications;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Ptz;
using SafetyNet.Grains.Reference;
using SafetyNet.Grains.Reviews;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains;

public static class SafetyNetGrainsServiceCollectionExtensions
{
    /// <summary>Registers the silo-side services the grains use: ledger, index, locator, seeding, options.</summary>
    public static IServiceCollection AddSafetyNetGrainServices(this IServiceCollection services, IConfiguration configuration, SafetyNetDatabase database)
    {
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DistrictBoundariesFile>();
        services.AddSingleton<IValidateOptions<DemoOptions>>(sp => sp.GetRequiredService<DistrictBoundariesFile>());
        services.AddOptions<SessionOptions>().Bind(configuration.GetSection(SessionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IncidentOptions>().Bind(configuration.GetSection(IncidentOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LeaseOptions>().Bind(configuration.GetSection(LeaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IndexOptions>().Bind(configuration.GetSection(IndexOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StateSealOptions>().Bind(configuration.GetSection(StateSealOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StateSeal>();
        services.AddOptions<AuditCheckpointOptions>().Bind(configuration.GetSection(AuditCheckpointOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuditLedgerOptions>().Bind(configuration.GetSection(AuditLedgerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuditSearchKeyOptions>().Bind(configuration.GetSection(AuditSearchKeyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MisuseOptions>().Bind(configuration.GetSection(MisuseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StreamUrlOptions>().Bind(configuration.GetSection(StreamUrlOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReviewOptions>().Bind(configuration.GetSection(ReviewOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PrivacyMaskOptions>().Bind(configuration.GetSection(PrivacyMaskOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StreamUrlGuard>();
        services.AddOptions<PtzOptions>().Bind(configuration.GetSection(PtzOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OnvifHttp>();

        services.AddSingleton(database);
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<SafetyNetMetrics>();
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<AuditStore>();
        if (database.Provider == DatabaseProvider.Sqlite)
            services.AddHostedService(sp => new AuditKeyIndexer(sp.GetRequiredService<AuditStore>().KeyIndex!, sp.GetRequiredService<IAuditLedger>(),
                sp.GetRequiredService<IOptions<AuditSearchKeyOptions>>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<AuditKeyIndexer>>()));
        services.AddSingleton(sp => LedgerShard.Resume(sp.GetRequiredService<CheckpointWitness>(), sp.GetRequiredService<CheckpointKeys>()));
        services.AddSingleton(sp => WriterHeadNote.BesideWitness(sp.GetRequiredService<IOptions<AuditCheckpointOptions>>(), sp.GetRequiredService<ILogger<WriterHeadNote>>()));
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<IncidentDirectoryStore>();
        services.AddSingleton<GrantRegistryStore>();
        services.AddSingleton<LocalSiloStatus>();
        services.AddGrainService<NodeEncodeRoomService>();
        services.AddSingleton<INodeEncodeRoom, NodeEncodeRoomClient>();
        services.AddSingleton<EncodeRoomBoard>();
        services.AddHostedService<EncodeRoomRefresher>();
        services.AddPlacementFilter<EncodeRoomFilter, EncodeRoomFilterDirector>(ServiceLifetime.Singleton);
        services.AddSingleton<ILocalSiloStatus>(sp => sp.GetRequiredService<LocalSiloStatus>());
        services.AddSingleton<DashboardNodeDirectory>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardNodeDirectory>());
        services.AddSingleton<AuditLedger>();
        services.AddSingleton<IAuditLedger>(sp => sp.GetRequiredService<AuditLedger>());
        services.AddSingleton<IDatabaseReachability>(sp => sp.GetRequiredService<AuditLedger>());
        services.AddSingleton<DatabaseOutageGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditLedger>());
        services.AddSingleton<CheckpointKeys>();
        services.AddSingleton<CheckpointWitness>();
        services.AddSingleton<CheckpointStore>();
        services.AddSingleton<LedgerVerification>();
        services.AddHostedService<AuditCheckpointer>();
        services.AddHostedService<WallClockWatch>();
        services.AddSingleton<ReviewStore>();
        services.AddSingleton<ReviewProducer>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ReviewScheduleStarter>();
        services.AddSingleton<ArchiveStore>();
        services.AddSingleton(sp => new LedgerArchiver(sp.GetRequiredService<AuditStore>(), sp.GetRequiredService<ArchiveStore>(),
            sp.GetRequiredService<CheckpointKeys>().Signer, sp.GetRequiredService<IAuditLedger>(), sp.GetRequiredService<IOptions<RetentionOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LedgerArchiver>>()));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LedgerArchiveSchedule>();
        services.AddSingleton<MisuseFlagStore>();
        services.AddOptions<EvidenceOptions>().Bind(configuration.GetSection(EvidenceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EvidenceStore>();
        services.AddSingleton<EvidenceKeys>();
        services.AddSingleton<EvidenceSealer>();
        services.AddSingleton<EvidenceSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<EvidenceSweeper>());

        services.AddSingleton(sp =>
        {
            var demo = sp.GetRequiredService<IOptions<DemoOptions>>().Value;
            return Region.Named(demo.Region, demo.RandomSeed);
        });
        services.AddSingleton<IServedDistricts>(sp => sp.GetRequiredService<Region>());
        services.AddSingleton(sp => sp.GetRequiredService<Region>().Bounds);
        services.AddSingleton(sp =>
        {
            var demo = sp.GetRequiredService<IOptions<DemoOptions>>().Value;
            return new DistrictLocator(sp.GetRequiredService<DistrictBoundariesFile>().For(demo), sp.GetRequiredService<Region>());
        });
        services.AddSingleton<CameraIndex>();
        services.AddSingleton<DistrictPolicyCache>();
        services.AddSingleton<AgencyDirectoryCache>();
        services.AddSingleton<CameraIndexRefresher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<CameraIndexRefresher>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PlatformAgency>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<DemoSeeder>());
        services.AddSingleton<ContextLayerWarmUp>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ContextLayerWarmUp>());
        return services;
    }
}
