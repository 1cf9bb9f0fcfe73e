using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;
using SafetyNet.Grains.Context;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Reference;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Silo.Hosting;

/// <summary>
/// Ready means: this silo is an active cluster member, the database answers, the camera index is loaded, and the context
/// layers have been read back. A node whose layers failed to read back is ready but degraded: its cameras and incidents
/// work, and each layer is read again by its first query.
/// </summary>
public sealed class ReadinessCheck(ISiloStatusOracle membership, SafetyNetDatabase database, CameraIndex index, Region region, ContextLayerWarmUp contextLayers)
    : IHealthCheck
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
            ["contextLayers"] = contextLayers.Readiness.ToString().ToLowerInvariant(),
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
        if (contextLayers.Readiness == ContextLayersReadiness.Loading)
            return HealthCheckResult.Unhealthy("The context layers are still being read back.", data: data);
        if (contextLayers.Readiness == ContextLayersReadiness.Failed)
            return HealthCheckResult.Degraded($"Active with {active.Count} silo(s); reading the context layers back at start failed (see the log), so each is read by its first query.", data: data);
        return HealthCheckResult.Healthy($"Active with {active.Count} silo(s).", data);
    }
}
