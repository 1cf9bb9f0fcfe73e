using System.Net;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>
/// A silo with the Orleans Dashboard turned off (Telemetry:OrleansDashboard=false), as capacity.md advises for silos
/// holding hundreds of thousands of activations: no dashboard routes, while /metrics and the API still serve.
/// </summary>
[Trait("Category", "Slow")]
public sealed class OrleansDashboardSwitchTests
{
    [Fact]
    public async Task A_node_without_the_Orleans_Dashboard_serves_no_dashboard_but_still_metrics_and_the_api()
    {
        var node = await TestNode.StartAsync(cameras: 500, extra: new Dictionary<string, string?> { ["Telemetry:OrleansDashboard"] = "false" });
        try
        {
            var admin = await node.TokenAsync("safetynet-ops", "ops-1", "platform-admin");

            using var dashboard = await node.SendAsync(HttpMethod.Get, "/dashboard/", admin);
            using var counters = await node.SendAsync(HttpMethod.Get, "/dashboard/DashboardCounters", admin);
            using var metrics = await node.SendAsync(HttpMethod.Get, "/metrics", null);
            using var districts = await node.SendAsync(HttpMethod.Get, "/api/v1/districts", admin);

            Assert.Equal(HttpStatusCode.NotFound, dashboard.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, counters.StatusCode);
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Contains("orleans_", await metrics.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, districts.StatusCode);
        }
        finally
        {
            await node.DisposeAsync();
            node.DeleteData();
        }
    }
}
