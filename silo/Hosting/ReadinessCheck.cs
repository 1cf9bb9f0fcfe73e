using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Reference;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Silo.Hosting;

/// <summary>Ready means: this silo is an active cluster member, the database answers, and the camera index is loaded.</summary>
public sealed class ReadinessCheck(ISiloStatusOracle membership, SafetyNetDatabase database, CameraIndex index, Region region) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var active = membership.GetApproximateSiloStatuses(onlyActive: true);
        var data = new Dictionary<string, object>
        {
            ["siloStatus"] = membership.CurrentStatus.ToString(),
            ["activeSilos"] = active.Count,
            ["cameras"] = index.Current.Count,
            ["districtsIndexed"] = index.DistrictsLoaded,
        };
        if (membership.CurrentStatus != SiloStatus.Active)
            return HealthCheckResult.Unhealthy($"Silo is {membership.CurrentStatus}, not active.", data: data);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await SafetyNetDatabase.ExecuteAsync(connection, "SELECT 1", cancellationToken);
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The database is unreachable.", e, data);
        }
        if (index.DistrictsLoaded < region.Districts.Count)
            return HealthCheckResult.Unhealthy("The camera index is still loading.", data: data);
        return HealthCheckResult.Healthy($"Active with {active.Count} silo(s).", data);
    }
}
