using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Incidents;

/// <summary>
/// Chooses an incident's cameras: the N nearest plus every camera within the radius (as Korean 112/119 rooms do), online
/// only, of the type's purposes, and only cameras at least one responder could view (<see cref="ResponderViewing"/>). A
/// fixed camera whose field of view points away from the scene ranks as if it were <see cref="FacingAwayPenalty"/> times
/// farther, so it yields its place to one that sees the spot. Cameras the same rule would have taken but no responder could
/// view are left out, each with the reason.
/// </summary>
public static class CameraSelector
{
    public const double FacingAwayPenalty = 2.5;
    private const double NearestSearchMeters = 3000;
    private const int MaxCandidates = 4096;

    public static CameraSelection Select(CameraIndexSnapshot index, GeoPoint scene, IncidentTypeSettings settings, double radiusMeters, ResponderViewing viewing)
    {
        var searchRadius = Math.Max(radiusMeters, NearestSearchMeters);
        // Cameras no responder may view give up their places, so the nearest few may not be enough: widen until the selection
        // is full, every viewable camera in range was seen, or the pool is as wide as it gets.
        for (var pool = settings.MaxCameras * 4; ; pool = Math.Min(pool * 4, MaxCandidates))
        {
            var hits = index.Nearest(new SpatialQuery(scene, searchRadius, pool, Status: CameraStatus.Online));
            var candidates = hits
                .Where(h => settings.CameraPurposes is null || settings.CameraPurposes.Contains(h.Camera.Purpose))
                .Select(h => new Candidate(h, Faces(h.Camera, scene), viewing.WhyNoneCanView(h.Camera)))
                .OrderBy(c => c.Hit.DistanceMeters * (c.Facing ? 1 : FacingAwayPenalty))
                .ThenBy(c => c.Hit.Camera.Id, StringComparer.Ordinal)
                .ToList();
            var viewable = candidates.Where(c => c.Refusal is null).ToList();
            var selected = Pick(viewable, settings, radiusMeters);
            var seenAllInRange = hits.Count < pool || (hits[^1].DistanceMeters > radiusMeters && viewable.Count >= settings.NearestCount);
            if (selected.Count < settings.MaxCameras && !seenAllInRange && pool < MaxCandidates) continue;
            var leftOut = Pick(candidates, settings, radiusMeters).Where(c => c.Refusal is not null)
                .Select(c => new LeftOutCamera(c.Hit.Camera.Id, c.Refusal!)).ToArray();
            return new CameraSelection(selected.Select(Selected).ToArray(), leftOut);
        }
    }

    /// <summary>PTZ cameras and cameras of unknown orientation can be pointed at the scene; fixed ones must already face it.</summary>
    public static bool Faces(CameraInfo camera, GeoPoint scene)
    {
        if (camera.Ptz || camera.HeadingDegrees is not { } heading) return true;
        var fieldOfView = camera.FieldOfViewDegrees ?? 90;
        return GeoMath.AngleBetween(heading, GeoMath.BearingDegrees(camera.Position, scene)) <= fieldOfView / 2;
    }

    private static List<Candidate> Pick(IEnumerable<Candidate> ranked, IncidentTypeSettings settings, double radiusMeters) => ranked
        .Where((c, rank) => rank < settings.NearestCount || c.Hit.DistanceMeters <= radiusMeters)
        .Take(settings.MaxCameras)
        .ToList();

    private static SelectedCamera Selected(Candidate c) => new(c.Hit.Camera.Id, c.Hit.Camera.DistrictCode, c.Hit.Camera.Purpose,
        Math.Round(c.Hit.DistanceMeters, 1), Math.Round(c.Hit.BearingDegrees, 1), c.Facing,
        c.Hit.Camera.Position.Latitude, c.Hit.Camera.Position.Longitude);

    private sealed record Candidate(CameraHit Hit, bool Facing, string? Refusal);
}

/// <summary>An incident's cameras, and those the selection rule would have taken had any responder been able to view them.</summary>
public sealed record CameraSelection(IReadOnlyList<SelectedCamera> Cameras, IReadOnlyList<LeftOutCamera> LeftOut)
{
    /// <summary>For the timeline: "21 left out: policy-never for fire-119-center, fire-station", or null when none was.</summary>
    public string? LeftOutNote
    {
        get
        {
            if (LeftOut.Count == 0) return null;
            var byReason = LeftOut.GroupBy(c => c.Reason).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
            return $"{LeftOut.Count} left out: " + (byReason.Count == 1
                ? byReason[0].Key
                : string.Join("; ", byReason.Select(g => $"{g.Count()} {g.Key}")));
        }
    }
}

public sealed record LeftOutCamera(string CameraId, string Reason);
