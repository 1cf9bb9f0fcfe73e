using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Incidents;

/// <summary>
/// Chooses an incident's cameras: the N nearest plus every camera within the radius (as Korean 112/119 rooms do), online
/// only, of the type's purposes. A fixed camera whose field of view points away from the scene ranks as if it were
/// <see cref="FacingAwayPenalty"/> times farther, so it yields its place to one that sees the spot.
/// </summary>
public static class CameraSelector
{
    public const double FacingAwayPenalty = 2.5;
    private const double NearestSearchMeters = 3000;

    public static IReadOnlyList<SelectedCamera> Select(CameraIndexSnapshot index, GeoPoint scene, IncidentTypeSettings settings, double radiusMeters)
    {
        var searchRadius = Math.Max(radiusMeters, NearestSearchMeters);
        var candidates = index.Nearest(new SpatialQuery(scene, searchRadius, settings.MaxCameras * 4, Status: CameraStatus.Online))
            .Where(h => settings.CameraPurposes is null || settings.CameraPurposes.Contains(h.Camera.Purpose))
            .Select(h => (Hit: h, Facing: Faces(h.Camera, scene)))
            .OrderBy(c => c.Hit.DistanceMeters * (c.Facing ? 1 : FacingAwayPenalty))
            .ThenBy(c => c.Hit.Camera.Id, StringComparer.Ordinal)
            .ToList();
        return candidates
            .Where((c, rank) => rank < settings.NearestCount || c.Hit.DistanceMeters <= radiusMeters)
            .Take(settings.MaxCameras)
            .Select(c => new SelectedCamera(c.Hit.Camera.Id, c.Hit.Camera.DistrictCode, c.Hit.Camera.Purpose,
                Math.Round(c.Hit.DistanceMeters, 1), Math.Round(c.Hit.BearingDegrees, 1), c.Facing,
                c.Hit.Camera.Position.Latitude, c.Hit.Camera.Position.Longitude))
            .ToList();
    }

    /// <summary>PTZ cameras and cameras of unknown orientation can be pointed at the scene; fixed ones must already face it.</summary>
    public static bool Faces(CameraInfo camera, GeoPoint scene)
    {
        if (camera.Ptz || camera.HeadingDegrees is not { } heading) return true;
        var fieldOfView = camera.FieldOfViewDegrees ?? 90;
        return GeoMath.AngleBetween(heading, GeoMath.BearingDegrees(camera.Position, scene)) <= fieldOfView / 2;
    }
}
