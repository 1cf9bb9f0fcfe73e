using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Spatial;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Misuse;

/// <summary>Scripted viewing for the misuse tests: view entries as the camera grains write them, on cameras of a real node.</summary>
public static class MisuseScript
{
    public const string JungGu = "11020";

    /// <summary>Cameras of a central district (around Jung-gu) at least 150 m apart, so that the views are of distinct places too.</summary>
    public static List<CameraInfo> SpreadCameras(TestNode node, string district, int count)
    {
        var around = node.App.Services.GetRequiredService<CameraIndex>().Current.Nearest(new SpatialQuery(new GeoPoint(37.5636, 126.9976), 6_000, 10_000));
        var chosen = new List<CameraInfo>();
        foreach (var camera in around.Select(h => h.Camera).Where(c => c.DistrictCode == district))
            if (chosen.All(c => GeoMath.DistanceMeters(c.Position, camera.Position) > 150)) chosen.Add(camera);
        Assert.True(chosen.Count >= count, $"only {chosen.Count} spread cameras in {district}");
        return chosen.Take(count).ToList();
    }

    /// <summary>A view entry now, by <paramref name="actor"/> (agency/operator), under an incident or none.</summary>
    public static AuditEntry View(string cameraId, string actor, string? incidentId = null) =>
        new(DateTimeOffset.UtcNow, AuditKinds.View, "allow", null, cameraId, actor.Split('/')[0], $"s-{actor}", incidentId, actor, Purpose: "monitoring");
}
