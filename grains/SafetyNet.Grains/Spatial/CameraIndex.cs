using SafetyNet.Contracts.Districts;

namespace SafetyNet.Grains.Spatial;

/// <summary>
/// This silo's replica of the city's camera catalog. Every silo keeps one, refreshed from the district grains, so that
/// spatial queries never leave the silo. Reads are lock-free on an immutable snapshot.
/// </summary>
public sealed class CameraIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CatalogSnapshot> _catalogs = new();
    private volatile CameraIndexSnapshot _current = CameraIndexSnapshot.Empty;

    public CameraIndexSnapshot Current => _current;

    public long VersionOf(string districtCode)
    {
        lock (_gate) return _catalogs.TryGetValue(districtCode, out var c) ? c.Version : -1;
    }

    public int DistrictsLoaded
    {
        get { lock (_gate) return _catalogs.Count; }
    }

    public void Apply(IReadOnlyCollection<CatalogSnapshot> changed)
    {
        if (changed.Count == 0) return;
        lock (_gate)
        {
            foreach (var catalog in changed)
            {
                if (_catalogs.TryGetValue(catalog.DistrictCode, out var known) && known.Version >= catalog.Version) continue;
                _catalogs[catalog.DistrictCode] = catalog;
            }
            _current = CameraIndexSnapshot.Build(_catalogs.Values.SelectMany(c => c.Cameras));
        }
    }
}
