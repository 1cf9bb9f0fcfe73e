using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Media;

namespace SafetyNet.Grains.Cameras;

[GenerateSerializer, Alias("camera-state")]
public sealed class CameraState
{
    /// <summary>Remembered so that the camera finds its catalog entry even before the local index has loaded.</summary>
    [Id(0)] public string? DistrictCode { get; set; }

    // Id 1 retired: grants live in the district's grant registry, in memory in the camera.

    /// <summary>Open stream leases; persisted so that an acknowledged lease survives the loss of the node.</summary>
    [Id(2)] public List<StreamLease> Leases { get; set; } = [];


    /// <summary>Privacy masks, normalized over the frame; empty means the camera is served unmasked, by stream copy.</summary>
    [Id(4)] public List<MaskPolygon> Masks { get; set; } = [];

    [Id(5)] public DateTimeOffset? MasksUpdatedAt { get; set; }

    [Id(6)] public string? MasksUpdatedBy { get; set; }

    /// <summary>Incidents holding this camera's stream warm, each until its incident's end at the latest (id 3, a single time, is retired).</summary>
    [Id(7)] public Dictionary<string, DateTimeOffset> Prewarms { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The camera's status as last set (by its relay, an admin or an import); null until then, when the catalog's holds.</summary>
    [Id(8)] public CameraStatus? Status { get; set; }

    [Id(9)] public DateTimeOffset? StatusChangedAt { get; set; }

    /// <summary>Who last set <see cref="Status"/> (its relay, an admin, an import): a camera its relay took offline is tried again by itself.</summary>
    [Id(11)] public string? StatusSetBy { get; set; }

    /// <summary>Why the camera is offline, where known (<see cref="CameraStatusCauses"/>): what its relay, a recheck or a check found.</summary>
    [Id(12)] public string? StatusCause { get; set; }

    /// <summary>The status the camera had when it was taken offline for a lost masks record; given back when its masks are set again.</summary>
    [Id(10)] public CameraStatus? StatusBeforeWithheld { get; set; }
}
