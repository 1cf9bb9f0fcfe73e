using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Spatial;

/// <summary>
/// An immutable sparse grid (see <see cref="CameraGrid"/>) holding every camera. Readers take the current snapshot without
/// locks; writers build a new one. Nearest-k search scans rings of cells outward and stops as soon as the next ring cannot
/// hold anything closer than the k-th hit. Status is a column of its own: a status change makes a new snapshot that shares
/// everything else (<see cref="WithStatuses"/>), so volatile status never costs a rebuild.
/// </summary>
public sealed class CameraIndexSnapshot
{
    private readonly Layout _layout;
    private readonly CameraStatus[] _statuses;
    private static long _lastVersion;
    private readonly long _version = Interlocked.Increment(ref _lastVersion);
    private CompactCameraList? _compact;

    public static CameraIndexSnapshot Empty { get; } = Build([]);

    private CameraIndexSnapshot(Layout layout, CameraStatus[] statuses)
    {
        _layout = layout;
        _statuses = statuses;
    }

    public int Count => _layout.Cameras.Length;

    public static CameraIndexSnapshot Build(IEnumerable<CameraInfo> cameras)
    {
        var layout = new Layout(cameras as CameraInfo[] ?? cameras.ToArray());
        return new CameraIndexSnapshot(layout, layout.Cameras.Select(c => c.Status).ToArray());
    }

    /// <summary>The same catalog with some cameras' status changed: one copy of the status column, no rebuild. Unknown ids are ignored.</summary>
    public CameraIndexSnapshot WithStatuses(IEnumerable<(string CameraId, CameraStatus Status)> changes)
    {
        var statuses = (CameraStatus[])_statuses.Clone();
        foreach (var (cameraId, status) in changes)
            if (_layout.IdLookup.TryGetValue(cameraId, out var i)) statuses[i] = status;
        return new CameraIndexSnapshot(_layout, statuses);
    }

    /// <summary>The ids of one district's cameras in this snapshot.</summary>
    public IEnumerable<string> IdsIn(string districtCode) =>
        (_layout.ByDistrict.GetValueOrDefault(districtCode) ?? []).Select(i => _layout.Cameras[i].Id);

    public CameraInfo? Find(string cameraId) => _layout.IdLookup.TryGetValue(cameraId, out var i) ? At(i) : null;

    private CameraInfo At(int i)
    {
        var camera = _layout.Cameras[i];
        return camera.Status == _statuses[i] ? camera : camera with { Status = _statuses[i] };
    }

    public IReadOnlyList<CameraHit> Nearest(SpatialQuery query)
    {
        var layout = _layout;
        if (query.Limit <= 0 || layout.Cameras.Length == 0) return [];
        var center = query.Center;
        var (row0, column0) = layout.Grid.RowColumnOf(center);
        var best = new TopK(query.Limit);
        var cosLatitude = Math.Cos(GeoMath.ToRadians(center.Latitude));
        var prefilter = query.RadiusMeters * 1.01;
        var prefilterSquared = prefilter * prefilter;
        var cellMinimum = layout.Grid.CellMinimumMeters;
        var maxRing = (int)Math.Min(int.MaxValue / 4, Math.Ceiling(query.RadiusMeters / cellMinimum) + 1);
        for (var ring = 0; ring <= maxRing; ring++)
        {
            var nearestPossible = Math.Max(0, ring - 1) * cellMinimum;
            if (nearestPossible > query.RadiusMeters) break;
            if (best.IsFull && nearestPossible > best.WorstDistance) break;
            // Beyond the occupied rows and columns there is nothing more to find.
            if (row0 - ring < layout.MinRow && row0 + ring > layout.MaxRow && column0 - ring < layout.MinColumn && column0 + ring > layout.MaxColumn && ring > 0)
                break;
            var firstRow = Math.Max(row0 - ring, layout.MinRow);
            var lastRow = Math.Min(row0 + ring, layout.MaxRow);
            for (var row = firstRow; row <= lastRow; row++)
            {
                var onEdgeRow = row == row0 - ring || row == row0 + ring;
                var step = onEdgeRow ? 1 : 2 * ring;
                for (var column = column0 - ring; column <= column0 + ring; column += Math.Max(step, 1))
                {
                    if (!layout.Cells.TryGetValue(CameraGrid.KeyOf(row, column), out var slot)) continue;
                    for (var i = layout.SlotStart[slot]; i < layout.SlotStart[slot + 1]; i++)
                    {
                        var dy = (layout.Latitudes[i] - center.Latitude) * CameraGrid.MetersPerDegreeLatitude;
                        var dx = (layout.Longitudes[i] - center.Longitude) * CameraGrid.MetersPerDegreeLatitude * cosLatitude;
                        if (dx * dx + dy * dy > prefilterSquared) continue;
                        var camera = layout.Cameras[i];
                        if (query.Purpose is { } purpose && camera.Purpose != purpose) continue;
                        if (query.Status is { } status && _statuses[i] != status) continue;
                        var distance = GeoMath.DistanceMeters(center, camera.Position);
                        if (distance > query.RadiusMeters) continue;
                        best.Offer(distance, i, camera.Id);
                        // Once k are held, a camera must beat the worst of them: the planar gate tightens to it (with the same 1 % margin
                        // as the radius), so in dense cells most candidates are dropped before the great-circle distance.
                        if (best.IsFull) prefilterSquared = Math.Min(prefilterSquared, Squared(best.WorstDistance * 1.01));
                    }
                }
            }
        }
        return best.ToHits(center, At);
    }

    private static double Squared(double value) => value * value;

    public CameraPage Page(BoxQuery query)
    {
        IEnumerable<int> source = query.DistrictCode is { } code
            ? _layout.ByDistrict.GetValueOrDefault(code) ?? []
            : _layout.ById;
        if (query.MinLatitude is { } minLat && query.MinLongitude is { } minLon && query.MaxLatitude is { } maxLat && query.MaxLongitude is { } maxLon)
            source = source.Where(i => _layout.Latitudes[i] >= minLat && _layout.Latitudes[i] <= maxLat &&
                                       _layout.Longitudes[i] >= minLon && _layout.Longitudes[i] <= maxLon);
        var all = source as IReadOnlyCollection<int> ?? source.ToList();
        var items = all.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).Select(At).ToArray();
        return new CameraPage(items, query.Page, query.PageSize, all.Count);
    }

    /// <summary>The whole catalog as columns for the dashboard's map; built on first use (a benign race builds it twice at worst).</summary>
    public CompactCameraList Compact => _compact ??= BuildCompact();

    private CompactCameraList BuildCompact()
    {
        var layout = _layout;
        var districtCodes = layout.ByDistrict.Keys.Order(StringComparer.Ordinal).ToArray();
        var districtIndex = districtCodes.Select((code, i) => (code, i)).ToDictionary(x => x.code, x => (byte)x.i);
        var byId = layout.ById;
        return new CompactCameraList(_version, districtCodes,
            byId.Select(i => layout.Cameras[i].Id).ToArray(),
            byId.Select(i => layout.Latitudes[i]).ToArray(),
            byId.Select(i => layout.Longitudes[i]).ToArray(),
            byId.Select(i => districtIndex[layout.Cameras[i].DistrictCode]).ToArray(),
            byId.Select(i => layout.Cameras[i].Purpose).ToArray(),
            byId.Select(i => _statuses[i]).ToArray());
    }

    /// <summary>The catalog part of a snapshot: cameras ordered by (cell, id), the occupied cells, and lookups; shared by status-only successors.</summary>
    private sealed class Layout
    {
        public readonly CameraGrid Grid;
        public readonly CameraInfo[] Cameras;
        public readonly double[] Latitudes;
        public readonly double[] Longitudes;
        public readonly Dictionary<long, int> Cells;
        public readonly int[] SlotStart;
        public readonly Dictionary<string, int> IdLookup;
        public readonly int MinRow = int.MaxValue, MaxRow = int.MinValue, MinColumn = int.MaxValue, MaxColumn = int.MinValue;
        private int[]? _byId;
        private Dictionary<string, int[]>? _byDistrict;

        public Layout(CameraInfo[] unordered)
        {
            Grid = CameraGrid.Over(unordered.Select(c => c.Position).ToArray());
            var keys = new long[unordered.Length];
            for (var i = 0; i < unordered.Length; i++) keys[i] = Grid.KeyOf(unordered[i].Position);
            var order = Enumerable.Range(0, unordered.Length).ToArray();
            Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : string.CompareOrdinal(unordered[a].Id, unordered[b].Id));
            Cameras = new CameraInfo[unordered.Length];
            Latitudes = new double[unordered.Length];
            Longitudes = new double[unordered.Length];
            IdLookup = new Dictionary<string, int>(unordered.Length, StringComparer.Ordinal);
            Cells = new Dictionary<long, int>(CameraGrid.CellKeyComparer.Instance);
            var starts = new List<int>();
            for (var i = 0; i < order.Length; i++)
            {
                var camera = unordered[order[i]];
                Cameras[i] = camera;
                Latitudes[i] = camera.Position.Latitude;
                Longitudes[i] = camera.Position.Longitude;
                IdLookup[camera.Id] = i;
                var key = keys[order[i]];
                if (Cells.TryAdd(key, starts.Count))
                {
                    starts.Add(i);
                    var (row, column) = ((int)(key >> 32), (int)(uint)key);
                    MinRow = Math.Min(MinRow, row);
                    MaxRow = Math.Max(MaxRow, row);
                    MinColumn = Math.Min(MinColumn, column);
                    MaxColumn = Math.Max(MaxColumn, column);
                }
            }
            starts.Add(order.Length);
            SlotStart = starts.ToArray();
        }

        /// <summary>Positions in id order, for paging; built on first use.</summary>
        public int[] ById => _byId ??= Enumerable.Range(0, Cameras.Length).OrderBy(i => Cameras[i].Id, StringComparer.Ordinal).ToArray();

        public Dictionary<string, int[]> ByDistrict => _byDistrict ??= ById.GroupBy(i => Cameras[i].DistrictCode).ToDictionary(g => g.Key, g => g.ToArray());
    }

    /// <summary>The k closest so far, as a max-heap on (distance, id) so that ties resolve the same way everywhere.</summary>
    private sealed class TopK(int k)
    {
        private readonly PriorityQueue<int, (double Distance, string Id)> _heap = new(k + 1, WorstFirst.Instance);

        public bool IsFull => _heap.Count >= k;

        public double WorstDistance => _heap.TryPeek(out _, out var p) ? p.Distance : double.MaxValue;

        public void Offer(double distance, int position, string id)
        {
            if (IsFull)
            {
                _heap.TryPeek(out _, out var worst);
                if (WorstFirst.Instance.Compare((distance, id), worst) <= 0) return;
                _heap.EnqueueDequeue(position, (distance, id));
                return;
            }
            _heap.Enqueue(position, (distance, id));
        }

        public IReadOnlyList<CameraHit> ToHits(GeoPoint center, Func<int, CameraInfo> cameraAt)
        {
            var hits = new List<CameraHit>(_heap.Count);
            while (_heap.TryDequeue(out var position, out var p))
            {
                var camera = cameraAt(position);
                hits.Add(new CameraHit(camera, p.Distance, GeoMath.BearingDegrees(center, camera.Position)));
            }
            hits.Reverse();
            return hits;
        }
    }

    /// <summary>Orders farther (then larger id) first, making the priority queue a max-heap.</summary>
    public sealed class WorstFirst : IComparer<(double Distance, string Id)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((double Distance, string Id) x, (double Distance, string Id) y)
        {
            var byDistance = y.Distance.CompareTo(x.Distance);
            return byDistance != 0 ? byDistance : string.CompareOrdinal(y.Id, x.Id);
        }
    }
}
