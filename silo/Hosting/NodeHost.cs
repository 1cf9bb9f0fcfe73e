using SafetyNet.Api;
using SafetyNet.Grains;
using SafetyNet.Api.Evidence;
using SafetyNet.Api.Media;
using SafetyNet.Grains.Cameras;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Persistence.Sealing;
using SafetyNet.Silo.Configuration;

namespace SafetyNet.Silo.Hosting;

/// <summary>Builds a whole node (silo + API) from configuration. The executable and the end-to-end tests both start nodes through here.</summary>
public static class NodeHost
{
    /// <summary>
    /// Settings are bound and validated once, at start-up, and nothing reads them again, so the configuration files are not
    /// watched: a watcher covers the whole content root, subfolders included, and the data directory beneath it (the SQLite
    /// write-ahead log, the relays' segments) changes tens of thousands of times a second under load.
    /// </summary>
    private const string ReadConfigurationOnce = "--hostBuilder:reloadConfigOnChange=false";

    /// <param name="decorate">Runs after the node's own registrations, so that a host embedding the node (a test) can wrap one of them.</param>
    public static async Task<WebApplication> CreateAsync(string[] args, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? decorate = null)
    {
        var builder = WebApplication.CreateBuilder([ReadConfigurationOnce, .. args]);
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        var storage = builder.Configuration.BindValidated<StorageOptions>(StorageOptions.Section);
        var cluster = builder.Configuration.BindValidated<NodeClusterOptions>(NodeClusterOptions.Section);
        var telemetry = builder.Configuration.BindValidated<TelemetryOptions>(TelemetryOptions.Section);
        var drainDelay = builder.Configuration.BindValidated<ShutdownOptions>(ShutdownOptions.Section).DrainDelayFor(cluster.Provider);
        var database = DatabaseSelection.Select(cluster, storage, builder.Configuration);

        builder.Services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<NodeClusterOptions>().Bind(builder.Configuration.GetSection(NodeClusterOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{MediaOptions.Section}:{nameof(MediaOptions.WorkingDirectory)}"] = builder.Configuration[$"{MediaOptions.Section}:{nameof(MediaOptions.WorkingDirectory)}"]
                ?? Path.Combine(Path.GetFullPath(storage.DataDirectory), "media"),
            ["StateSeal:KeyPath"] = builder.Configuration["StateSeal:KeyPath"] ?? Path.Combine(Path.GetFullPath(storage.DataDirectory), "state-seal.key"),
            // Each cluster node creating its own key could read nothing another wrote: cluster nodes are given the one key.
            ["StateSeal:GenerateKey"] = builder.Configuration["StateSeal:GenerateKey"] ?? (cluster.Provider == ClusterProvider.Embedded ? "true" : "false"),
            ["Audit:SigningKeyPath"] = builder.Configuration["Audit:SigningKeyPath"] ?? Path.Combine(Path.GetFullPath(storage.DataDirectory), "audit-checkpoint-key.pem"),
            ["Evidence:Directory"] = builder.Configuration["Evidence:Directory"] ?? Path.Combine(Path.GetFullPath(storage.DataDirectory), "evidence"),
            ["Evidence:SigningKeyPath"] = builder.Configuration["Evidence:SigningKeyPath"] ?? Path.Combine(Path.GetFullPath(storage.DataDirectory), "evidence-key.pem"),
            ["Audit:WitnessPath"] = builder.Configuration["Audit:WitnessPath"] ?? Path.Combine(Path.GetFullPath(storage.DataDirectory), "audit-witness.jsonl"),
            ["Retention:ArchiveDirectory"] = builder.Configuration["Retention:ArchiveDirectory"] ?? Path.Combine(Path.GetFullPath(storage.DataDirectory), "audit-archive"),
        });
        builder.Services.AddSafetyNetGrainServices(builder.Configuration, database);
        builder.Services.AddSingleton(new NodeEndpoint(string.IsNullOrWhiteSpace(cluster.PublicBaseUrl) ? null : cluster.PublicBaseUrl.TrimEnd('/')));
        builder.Services.AddSingleton<RelayStatusToCamera>();
        builder.Services.AddSingleton<IRelayStatusSink>(sp => sp.GetRequiredService<RelayStatusToCamera>());
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<RelayStatusToCamera>());
        builder.Services.AddSafetyNetMedia(builder.Configuration);
        builder.Services.AddSingleton<IMediaFiles, RelayMediaFiles>();
        builder.Services.AddSingleton<IEvidenceArchive, NodeEvidenceArchive>();
        builder.Services.AddSafetyNetApi(builder.Configuration, Path.Combine(Path.GetFullPath(storage.DataDirectory), "signing.key"));
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("cluster-and-database", tags: ["ready"]);
        builder.AddSafetyNetTelemetry();
        builder.UseOrleans(silo => silo.ConfigureSafetyNetSilo(cluster, database, telemetry.OrleansDashboard));
        builder.Services.AddShutdownDrain(drainDelay);
        decorate?.Invoke(builder.Services);

        var app = builder.Build();
        // Every setting is checked before anything is started or migrated. The host would check them too, as it starts, but
        // only after logging the failure as a crash with its stack trace.
        StartupValidation.ValidateAll(app.Services);
        // The state key is read (or, on a single node, created) now: a missing or bad key file is a wrong setting, named
        // before anything starts, not a failure of the first grain to read its state.
        app.Services.GetRequiredService<StateSeal>();
        await MigrateWithRetryAsync(app.Services.GetRequiredService<SchemaMigrator>(), app.Logger);
        app.UseSituationRoomDashboard();
        app.UseSafetyNetApi();
        app.MapSafetyNetHealth(telemetry.OrleansDashboard);
        app.MapDashboardData();
        return app;
    }

    /// <summary>A database that is still starting (a whole cluster booting at once) gets a few chances; a wrong one still fails.</summary>
    private static async Task MigrateWithRetryAsync(SchemaMigrator migrator, ILogger logger)
    {
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await migrator.MigrateAsync();
                return;
            }
            catch (Exception e) when (attempt < attempts && e is Npgsql.NpgsqlException { IsTransient: true } or TimeoutException)
            {
                logger.LogWarning("The database is not answering yet ({Message}); attempt {Attempt} of {Attempts}", e.Message, attempt, attempts);
                await Task.Delay(TimeSpan.FromSeconds(2 * attempt));
            }
        }
    }
}
