using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Misuse;

/// <summary>Cameras from this silo's camera index; incidents from their grains, asked once per batch of entries (an incident may move).</summary>
public sealed class MisusePlaces(CameraIndex cameras, IGrainFactory grains) : IMisusePlaces
{
    private readonly Dictionary<string, GeoPoint?> _incidents = new(StringComparer.Ordinal);

    public GeoPoint? Camera(string cameraId) => cameras.Current.Find(cameraId)?.Position;

    public GeoPoint? Incident(string incidentId) => _incidents.GetValueOrDefault(incidentId);

    public async Task LoadIncidentsAsync(IEnumerable<string> incidentIds)
    {
        _incidents.Clear();
        foreach (var id in incidentIds.Distinct(StringComparer.Ordinal))
            _incidents[id] = (await grains.GetGrain<IIncidentGrain>(id).GetAsync())?.Position;
    }
}
