using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Platform;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Reference;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Demo;

/// <summary>
/// Seeds the demo city (or nation) once per database. Resumable: missing agencies are registered on every start, and a
/// district that already holds cameras is skipped, so a seed cut short by a crash finishes on the next start. Each
/// district's cameras go in one call (one catalog write); districts are generated and stored a few at a time in parallel.
/// The silo reports ready only after this completes.
/// </summary>
public sealed class DemoSeeder(
    IGrainFactory grains,
    IOptions<DemoOptions> options,
    DistrictLocator locator,
    Region region,
    CameraIndexRefresher indexRefresher,
    IAuditLedger audit,
    SafetyNetMetrics metrics,
    TimeProvider clock,
    ILogger<DemoSeeder> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(2);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DemoSeeder), ServiceLifecycleStage.Active + 1, SeedIfNeededAsync);

    public async Task SeedIfNeededAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value;
        var platform = grains.GetGrain<IPlatformGrain>(0);
        if (!demo.Seed) return;
        // Every start registers the demo agencies that are missing, so agencies added to the demo reach an already-seeded
        // database; ones that exist are left as an admin may have changed them.
        var agencies = DemoAgencies.For(region);
        foreach (var agency in agencies)
        {
            var grain = grains.GetGrain<IAgencyGrain>(agency.Id);
            if (await grain.GetAsync() is null) await grain.UpsertAsync(agency, "demo-seed");
        }
        if (await platform.GetSeededAtAsync() is { } seededAt)
        {
            logger.LogInformation("Demo city already seeded at {SeededAt:O}; not seeding again", seededAt);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        logger.LogInformation("Seeding the demo {Region}: {Cameras} cameras in {Districts} districts, random seed {Seed}, placement by {Placement}",
            region.Name, demo.Cameras, region.Districts.Count, demo.RandomSeed, locator.HasBoundaries ? "district boundaries" : "district centroid and area");

        var generator = new DemoCityGenerator(locator, demo.RandomSeed, demo.StreamUrl);
        var counts = DemoCityGenerator.Apportion(region.Districts, demo.Cameras);
        var done = 0;
        var districtsDone = 0;
        var lastProgress = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(region.Districts, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken },
            async (district, _) =>
            {
                var districtGrain = grains.GetGrain<IDistrictGrain>(district.Code);
                var count = counts[district.Code];
                if ((await districtGrain.GetInfoAsync()).CameraCount > 0)
                {
                    logger.LogInformation("District {District} already has cameras; skipping (resumed seed)", district.NameEnglish);
                }
                else if (count > 0)
                {
                    await districtGrain.UpsertCamerasAsync(generator.Generate(district, count).ToArray());
                    metrics.CamerasImported(count);
                }
                var total = Interlocked.Add(ref done, count);
                var finished = Interlocked.Increment(ref districtsDone);
                if (region.Districts.Count <= 25 || Stopwatch.GetElapsedTime(Interlocked.Read(ref lastProgress)) >= ProgressEvery || finished == region.Districts.Count)
                {
                    Interlocked.Exchange(ref lastProgress, Stopwatch.GetTimestamp());
                    logger.LogInformation("Seeded {District} ({Code}): {Count} cameras; {Done}/{Total} overall, {Districts}/{AllDistricts} districts, {Seconds:F1} s",
                        district.NameEnglish, district.Code, count, total, demo.Cameras, finished, region.Districts.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
                }
            });

        var context = new DemoContextGenerator(locator, demo.RandomSeed);
        foreach (var layer in ContextLayers.Known)
        {
            var features = context.Generate(layer).ToArray();
            await grains.GetGrain<IContextLayerGrain>(layer).UpsertAsync(features);
            logger.LogInformation("Seeded sample context layer {Layer}: {Count} features", layer, features.Length);
        }

        await platform.MarkSeededAsync(clock.GetUtcNow(), demo.Cameras);
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.Import, Actor: "demo-seed",
            Details: $$"""{"source":"demo-city","region":"{{region.Name}}","cameras":{{demo.Cameras}},"agencies":{{agencies.Count}}}"""));
        await indexRefresher.RefreshNowAsync(cancellationToken);
        logger.LogInformation("Demo city seeded in {Seconds:F1} s", Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
