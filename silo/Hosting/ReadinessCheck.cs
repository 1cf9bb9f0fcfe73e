using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Context;
using SafetyNet.Grains.Persistence;
using SafetyNet.Grains.Reference;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Silo.Hosting;

/// <summary>
/// Ready means: this silo is an active cluster member, the camera index is loaded, and the context layers have been read
/// back. Ready but degraded (200, <c>Degraded</c>) are a node whose layers failed to read back (each is read again by its
/// first query) and a node that cannot reach the database. The database is every node's, so it does not take a node out
/// of service: were it to, an outage would take every node out of the load balancer at once, and the consoles would get
/// no answer at all instead of a 503 with Retry-After, and lose what goes on without the database (live video already
/// granted, the camera map, dashboard events). A node told to stop is not ready from that moment, while it still answers
/// (<see cref="ShutdownDrain"/>).
/// </summary>
public sealed class ReadinessCheck(ISiloStatusOracle membership, SafetyNetDatabase database, AuditLedger ledger, CameraIndex index, Region region,
    ContextLayerWarmUp contextLayers, IHostApplicationLifetime lifetime, ShutdownDrain drain) : IHealthCheck
{
    /// <summary>Well inside a load balancer's probe timeout (Kubernetes: 3 s in deploy/kubernetes).</summary>
    private static readonly TimeSpan DatabaseProbeTimeout = TimeSpan.FromSeconds(2);

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
        if (lifetime.ApplicationStopping.IsCancellationRequested)
            return HealthCheckResult.Unhealthy(drain.Delay > TimeSpan.Zero
                ? $"The node is stopping: it answers what is already routed to it for {drain.Delay:g} after the stop began, then leaves the cluster. Send new requests to other nodes."
                : "The node is stopping. Send new requests to other nodes.", data: data);
        if (membership.CurrentStatus != SiloStatus.Active)
            return HealthCheckResult.Unhealthy($"Silo is {membership.CurrentStatus}, not active.", data: data);
        if (index.DistrictsLoaded < region.Districts.Count)
            return HealthCheckResult.Unhealthy("The camera index is still loading.", data: data);
        if (contextLayers.Readiness == ContextLayersReadiness.Loading)
            return HealthCheckResult.Unhealthy("The context layers are still being read back.", data: data);
        var unreachable = await DatabaseProblemAsync(cancellationToken);
        data["database"] = unreachable is null ? "answers" : "unreachable";
        if (unreachable is not null)
            return HealthCheckResult.Degraded($"Active with {active.Count} silo(s), but {unreachable}: actions that must be audited are refused " +
                                              "(503 with Retry-After) until it answers again.", data: data);
        if (contextLayers.Readiness == ContextLayersReadiness.Failed)
            return HealthCheckResult.Degraded($"Active with {active.Count} silo(s); reading the context layers back at start failed (see the log), so each is read by its first query.", data: data);
        return HealthCheckResult.Healthy($"Active with {active.Count} silo(s).", data);
    }

    /// <summary>
    /// What is wrong with the database, or null when it answers. The ledger knows without asking while it is refusing. When
    /// this check finds a problem first, the ledger is asked to probe too (with its own, longer patience): the load
    /// balancer asks every node for readiness, so a node with no audited action under way learns of an outage from it,
    /// and the first operator to ask after that is refused at once instead of after two write timeouts.
    /// </summary>
    private async Task<string?> DatabaseProblemAsync(CancellationToken cancellationToken)
    {
        if (ledger.DatabaseUnreachableSince is { } since)
            return $"the audit ledger has not reached the database since {since:HH:mm:ss} UTC";
        var problem = await ProbeAsync(cancellationToken);
        if (problem is not null) ledger.RequestProbe();
        return problem;
    }

    private async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(DatabaseProbeTimeout);
        try
        {
            await using var connection = await database.OpenFreshAsync(DatabaseProbeTimeout, deadline.Token);
            await SafetyNetDatabase.ExecuteAsync(connection, "SELECT 1", deadline.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"the database does not answer within {DatabaseProbeTimeout.TotalSeconds:0} s";
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Not the driver's message: anyone may read this endpoint, and it can name the server, its port and the role.
            return "the node cannot connect to the database (the node's log has the cause)";
        }
    }
}
