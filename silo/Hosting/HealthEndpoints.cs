using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Exporter;
using Orleans.Dashboard;
using SafetyNet.Api.Auth;

namespace SafetyNet.Silo.Hosting;

public static class HealthEndpoints
{
    public static WebApplication MapSafetyNetHealth(this WebApplication app, bool orleansDashboard)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = WriteJsonAsync,
        }).AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        if (orleansDashboard)
        {
            app.UseSiloAddressRouteGuard();
            app.MapOrleansDashboard("/dashboard").RequireAuthorization(Policies.PlatformAdmin);
        }
        return app;
    }

    private static Task WriteJsonAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description, e.Value.Data }),
        });
}
