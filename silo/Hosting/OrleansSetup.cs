using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;
using Orleans.Storage;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Persistence.Sealing;
using SafetyNet.Silo.Configuration;

namespace SafetyNet.Silo.Hosting;

public static class OrleansSetup
{
    /// <summary>One silo: membership, grain state (and PubSubStore) and reminders all in the deployment's one database.</summary>
    public static ISiloBuilder ConfigureSafetyNetSilo(this ISiloBuilder silo, NodeClusterOptions cluster, SafetyNetDatabase database, bool orleansDashboard)
    {
        if (cluster.Provider == ClusterProvider.Embedded)
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        }
        else
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = database.OrleansInvariant;
                o.ConnectionString = database.ConnectionString;
            });
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            // In a Kubernetes pod, let Orleans watch the pods too, so that a deleted pod leaves membership at once.
            if (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is not null) silo.UseKubernetesHosting();
        }

        CachedGrainInterfaceTypes.AddFirst(silo.Services);
        silo.AddSafetyNetStorage(database);
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = database.OrleansInvariant;
            o.ConnectionString = database.ConnectionString;
        });
        // The incident watchdog may tick faster than Orleans' one-minute default floor (short periods in tests and drills).
        // After a silo dies, survivors pick up its reminders on the next list refresh; keep that short so forgotten
        // incidents still close promptly (the default is five minutes).
        silo.Configure<ReminderOptions>(o =>
        {
            o.MinimumReminderPeriod = TimeSpan.FromSeconds(1);
            o.RefreshReminderListPeriod = TimeSpan.FromSeconds(15);
        });
        silo.AddActivityPropagation();
        silo.AddOutgoingGrainCallFilter<LeftSiloReadRetry>();
        if (orleansDashboard) silo.AddDashboard();
        return silo;
    }

    /// <summary>
    /// Grain state (and Orleans' PubSubStore) in the deployment's database, refused at once while the node knows it cannot
    /// be reached (<see cref="OutageAwareGrainStorage"/>), SafetyNet's own sealed against the database's readers and writers
    /// (<see cref="SealedGrainStorage"/>); also used by the TestingHost cluster.
    /// </summary>
    public static ISiloBuilder AddSafetyNetStorage(this ISiloBuilder silo, SafetyNetDatabase database)
    {
        // SafetyNet's own grain state is sealed (SealedGrainStorage): its records are stored as the sealed bytes themselves.
        silo.AddAdoNetGrainStorage(StorageNames.Default, options => options.Configure<IServiceProvider>((o, services) =>
        {
            o.Invariant = database.OrleansInvariant;
            o.ConnectionString = database.ConnectionString;
            o.GrainStorageSerializer = new SealedPayloadSerializer(services.GetRequiredService<IGrainStorageSerializer>());
        }));
        silo.AddAdoNetGrainStorage(StorageNames.PubSub, o =>
        {
            o.Invariant = database.OrleansInvariant;
            o.ConnectionString = database.ConnectionString;
        });
        // Context-layer tiles are the bulk of the stored bytes (a national hydrant layer: 3,920 tiles, 300,000 points), read
        // back whole at every start: Orleans' binary format, with the default JSON as the fallback for tiles stored before.
        silo.AddAdoNetGrainStorage(StorageNames.ContextTiles, options => options.Configure<IServiceProvider>((o, services) =>
        {
            o.Invariant = database.OrleansInvariant;
            o.ConnectionString = database.ConnectionString;
            o.DeleteStateOnClear = true;
            o.GrainStorageSerializer = new GrainStorageSerializer(
                new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()), services.GetRequiredService<IGrainStorageSerializer>());
        }));
        SealedGrainStorage.Wrap(silo.Services, StorageNames.Default);
        foreach (var name in new[] { StorageNames.Default, StorageNames.PubSub, StorageNames.ContextTiles })
            OutageAwareGrainStorage.Wrap(silo.Services, name);
        return silo;
    }
}
