using Microsoft.Extensions.FileProviders;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Silo.Hosting;

/// <summary>
/// The situation-room dashboard (silo/dashboard, bundled by esbuild at build time and embedded in this assembly), served
/// anonymously at /; it signs in against the API itself. Nothing is fetched from a CDN.
/// </summary>
public static class DashboardHosting
{
    public static WebApplication UseSituationRoomDashboard(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(DashboardHosting).Assembly, "dashboard");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }

    /// <summary>
    /// The configured district boundaries (Demo:DistrictBoundaries) as the node read them (WGS84, the served codes), so the
    /// map draws the districts with no tiles; 404 when none is configured.
    /// </summary>
    public static WebApplication MapDashboardData(this WebApplication app)
    {
        app.MapGet("/dashboard/districts.geojson", (DistrictLocator locator) =>
                locator.BoundariesGeoJson is { } geoJson
                    ? Results.Text(geoJson, "application/geo+json")
                    : Results.Problem(statusCode: 404, title: "Not found", detail: "No district boundaries are configured (Demo:DistrictBoundaries); the map draws districts from their centroids."))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
