using Microsoft.Extensions.Options;
using SafetyNet.Api;
using SafetyNet.Grains;
using SafetyNet.Grains.Persistence;
using SafetyNet.Silo.Configuration;
using SafetyNet.Silo.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(args);
    var storage = builder.Configuration.BindValidated<StorageOptions>(StorageOptions.Section);
    var cluster = builder.Configuration.BindValidated<NodeClusterOptions>(NodeClusterOptions.Section);
    builder.Configuration.BindValidated<TelemetryOptions>(TelemetryOptions.Section);
    var database = DatabaseSelection.Select(cluster, storage, builder.Configuration);

    builder.Services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
    builder.Services.AddOptions<NodeClusterOptions>().Bind(builder.Configuration.GetSection(NodeClusterOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
    builder.Services.AddSafetyNetGrainServices(builder.Configuration, database);
    builder.Services.AddSafetyNetApi(builder.Configuration, Path.Combine(Path.GetFullPath(storage.DataDirectory), "signing.key"));
    builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("cluster-and-database", tags: ["ready"]);
    builder.AddSafetyNetTelemetry();
    builder.UseOrleans(silo => silo.ConfigureSafetyNetSilo(cluster, database));

    var app = builder.Build();
    await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
    if (args.Contains("migrate"))
    {
        app.Logger.LogInformation("Schema migrated; exiting (migrate verb)");
        return 0;
    }

    app.UseSafetyNetApi();
    app.MapSafetyNetHealth();
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine("SafetyNet cannot start: the configuration is invalid.");
    foreach (var failure in e.Failures) Console.Error.WriteLine($"  - {failure}");
    return 2;
}
catch (Exception e) when (StartupFailure.Explain(e) is { } explanation)
{
    Console.Error.WriteLine($"SafetyNet cannot start: {explanation}");
    return 3;
}
