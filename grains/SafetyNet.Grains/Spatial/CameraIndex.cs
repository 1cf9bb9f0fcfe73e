using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Grains.Spatial;

/// <summary>
/// This silo's replica of the camera catalog. Every silo keeps one, refreshed from the district grains, so that spatial
/// queries never leave the silo. Reads are lock-free on an immutable snapshot. A district's new catalog version rebuilds
/// the snapshot; a status change only swaps its status column (<see cref="ApplyStatuses"/>).
/// </summary>
public sealed class CameraIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DistrictEntry> _districts = new();
    private volatile CameraIndexSnapshot _current = CameraIndexSnapshot.Empty;

    public CameraIndexSnapshot Current => _current;

    public long VersionOf(string districtCode)
    {
        lock (_gate) return _districts.TryGetValue(districtCode, out var d) ? d.Catalog.Version : -1;
    }

    /// <summary>The district status sequence number this index holds; -1 before its catalog arrived.</summary>
    public long StatusSeqOf(string districtCode)
    {
        lock (_gate) return _districts.TryGetValue(districtCode, out var d) ? d.StatusSeq : -1;
    }

    public int DistrictsLoaded
    {
        get { lock (_gate) return _districts.Count; }
    }

    public void Apply(IReadOnlyCollection<CatalogSnapshot> changed)
    {
        if (changed.Count == 0) return;
        lock (_gate)
        {
            foreach (var catalog in changed)
            {
                if (_districts.TryGetValue(catalog.DistrictCode, out var known) && known.Catalog.Version >= catalog.Version) continue;
                _districts[catalog.DistrictCode] = new DistrictEntry(catalog) { StatusSeq = catalog.StatusSeq };
            }
            _current = CameraIndexSnapshot.Build(_districts.Values.SelectMany(d => d.CurrentCameras()));
        }
    }

    /// <summary>Applies status deltas in place of a rebuild. A delta for a district whose catalog is not here yet, or that is older than what is held, is ignored.</summary>
    public void ApplyStatuses(IReadOnlyCollection<StatusDelta> deltas)
    {
        if (deltas.Count == 0) return;
        lock (_gate)
        {
            var changes = new List<(string, CameraStatus)>();
            foreach (var delta in deltas)
            {
                if (!_districts.TryGetValue(delta.DistrictCode, out var district) || delta.Seq <= district.StatusSeq && !delta.Reset) continue;
                var applied = delta.Reset ? district.Reset(delta.Changes) : district.Change(delta.Changes);
                changes.AddRange(applied);
                district.StatusSeq = delta.Seq;
            }
            if (changes.Count > 0) _current = _current.WithStatuses(changes);
        }
    }

    /// <summary>One district's catalog as last fetched, and the statuses learnt since, so that a later rebuild keeps them.</summary>
    private sealed class DistrictEntry(CatalogSnapshot catalog)
    {
        private readonly Dictionary<string, CameraStatus> _statusSinceCatalog = new(StringComparer.Ordinal);

        public CatalogSnapshot Catalog => catalog;

        public long StatusSeq { get; set; }

        public IEnumerable<CameraInfo> CurrentCameras() => _statusSinceCatalog.Count == 0
            ? catalog.Cameras
            : catalog.Cameras.Select(c => _statusSinceCatalog.TryGetValue(c.Id, out var s) && s != c.Status ? c with { Status = s } : c);

        public IEnumerable<(string, CameraStatus)> Change(IEnumerable<CameraStatusChange> changes)
        {
            var applied = new List<(string, CameraStatus)>();
            foreach (var change in changes)
            {
                _statusSinceCatalog[change.CameraId] = change.Status;
                applied.Add((change.CameraId, change.Status));
            }
            return applied;
        }

        public IEnumerable<(string, CameraStatus)> Reset(IEnumerable<CameraStatusChange> notOnline)
        {
            var listed = notOnline.ToDictionary(c => c.CameraId, c => c.Status, StringComparer.Ordinal);
            return Change(catalog.Cameras.Select(c => new CameraStatusChange(c.Id, listed.GetValueOrDefault(c.Id, CameraStatus.Online))).ToArray());
        }
    }
}
