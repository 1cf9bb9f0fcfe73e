using Microsoft.Extensions.Logging;
using SafetyNet.Contracts.Agencies;

namespace SafetyNet.Grains.Agencies;

/// <summary>
/// The platform's own operations team, registered on every start with or without the demo city: tokens are accepted only
/// for registered agencies, so without it no platform admin could register the first real agency.
/// </summary>
public sealed class PlatformAgency(IGrainFactory grains, ILogger<PlatformAgency> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public static AgencyInfo Operations { get; } = new("safetynet-ops", "SafetyNet Platform Operations", AgencyKind.PlatformOperations, true, []);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PlatformAgency), ServiceLifecycleStage.Active, RegisterAsync);

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<IAgencyGrain>(Operations.Id);
        if (await grain.GetAsync() is not null) return;
        await grain.UpsertAsync(Operations, "platform");
        logger.LogInformation("Registered the platform operations agency {Agency}", Operations.Id);
    }
}
