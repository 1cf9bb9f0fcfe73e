using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Spatial;

/// <summary>
/// An immutable uniform grid over Seoul (about 250 m cells) holding every camera. Readers take the current snapshot
/// without locks; writers build a new one. Nearest-k search scans rings of cells outward and stops as soon as the next
/// ring cannot hold anything closer than the k-th hit.
/// </summary>
public sealed class CameraIndexSnapshot
{
    private const double CellMeters = 250;
    private const double MetersPerDegreeLatitude = 111_195.0;
    private const double Margin = 0.02;
    private const double OriginLatitude = SeoulBounds.MinLatitude - Margin;
    private const double OriginLongitude = SeoulBounds.MinLongitude - Margin;
    private static readonly double CellLatitudeDegrees = CellMeters / MetersPerDegreeLatitude;
    private static readonly double CellLongitudeDegrees = CellMeters / (MetersPerDegreeLatitude * Math.Cos(GeoMath.ToRadians(37.56)));
    private static readonly int Rows = (int)Math.Ceiling((SeoulBounds.MaxLatitude + Margin - OriginLatitude) / CellLatitudeDegrees);
    private static readonly int Columns = (int)Math.Ceiling((SeoulBounds.MaxLongitude + Margin - OriginLongitude) / CellLongitudeDegrees);

    // The narrowest a cell gets anywhere in the grid (east-west width shrinks northwards), less a safety margin for the
    // difference between this planar bound and the great-circle distance.
    private static readonly double CellMinimumMeters = Math.Min(CellMeters,
        CellLongitudeDegrees * MetersPerDegreeLatitude * Math.Cos(GeoMath.ToRadians(SeoulBounds.MaxLatitude + Margin))) * 0.99;

    private readonly CameraInfo[] _cameras;
    private readonly double[] _latitudes;
    private readonly double[] _longitudes;
    private readonly int[] _cellStart;
    private readonly CameraInfo[] _byId;
    private readonly Dictionary<string, CameraInfo> _idLookup;
    private readonly Dictionary<string, CameraInfo[]> _byDistrict;
    private static long _lastVersion;
    private readonly long _version = Interlocked.Increment(ref _lastVersion);
    private CompactCameraList? _compact;

    public static CameraIndexSnapshot Empty { get; } = Build([]);

    private CameraIndexSnapshot(CameraInfo[] cameras, int[] cellStart)
    {
        _cameras = cameras;
        _cellStart = cellStart;
        _latitudes = cameras.Select(c => c.Position.Latitude).ToArray();
        _longitudes = cameras.Select(c => c.Position.Longitude).ToArray();
        _byId = cameras.OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
        _idLookup = cameras.ToDictionary(c => c.Id, StringComparer.Ordinal);
        _byDistrict = _byId.GroupBy(c => c.DistrictCode).ToDictionary(g => g.Key, g => g.ToArray());
    }

    public int Count => _cameras.Length;

    public static CameraIndexSnapshot Build(IEnumerable<CameraInfo> cameras)
    {
        var withCell = cameras.Select(c => (Camera: c, Cell: CellOf(c.Position))).ToArray();
        Array.Sort(withCell, (a, b) => a.Cell != b.Cell ? a.Cell.CompareTo(b.Cell) : string.CompareOrdinal(a.Camera.Id, b.Camera.Id));
        var cellStart = new int[Rows * Columns + 1];
        foreach (var (_, cell) in withCell) cellStart[cell + 1]++;
        for (var i = 1; i < cellStart.Length; i++) cellStart[i] += cellStart[i - 1];
        return new CameraIndexSnapshot(withCell.Select(x => x.Camera).ToArray(), cellStart);
    }

    public CameraInfo? Find(string cameraId) => _idLookup.GetValueOrDefault(cameraId);

    public IReadOnlyList<CameraHit> Nearest(SpatialQuery query)
    {
        if (query.Limit <= 0 || _cameras.Length == 0) return [];
        var center = query.Center;
        var (row0, column0) = RowColumnOf(center);
        var best = new TopK(query.Limit);
        var cosLatitude = Math.Cos(GeoMath.ToRadians(center.Latitude));
        var prefilter = query.RadiusMeters * 1.01;
        var prefilterSquared = prefilter * prefilter;
        var maxRing = (int)Math.Ceiling(query.RadiusMeters / CellMinimumMeters) + 1;
        for (var ring = 0; ring <= maxRing; ring++)
        {
            var nearestPossible = Math.Max(0, ring - 1) * CellMinimumMeters;
            if (nearestPossible > query.RadiusMeters) break;
            if (best.IsFull && nearestPossible > best.WorstDistance) break;
            for (var row = row0 - ring; row <= row0 + ring; row++)
            {
                if (row < 0 || row >= Rows) continue;
                var onEdgeRow = row == row0 - ring || row == row0 + ring;
                var step = onEdgeRow ? 1 : 2 * ring;
                for (var column = column0 - ring; column <= column0 + ring; column += Math.Max(step, 1))
                {
                    if (column < 0 || column >= Columns) continue;
                    var cell = row * Columns + column;
                    for (var i = _cellStart[cell]; i < _cellStart[cell + 1]; i++)
                    {
                        var dy = (_latitudes[i] - center.Latitude) * MetersPerDegreeLatitude;
                        var dx = (_longitudes[i] - center.Longitude) * MetersPerDegreeLatitude * cosLatitude;
                        if (dx * dx + dy * dy > prefilterSquared) continue;
                        var camera = _cameras[i];
                        if (query.Purpose is { } purpose && camera.Purpose != purpose) continue;
                        if (query.Status is { } status && camera.Status != status) continue;
                        var distance = GeoMath.DistanceMeters(center, camera.Position);
                        if (distance <= query.RadiusMeters) best.Offer(distance, camera);
                    }
                }
            }
        }
        return best.ToHits(center);
    }

    public CameraPage Page(BoxQuery query)
    {
        IEnumerable<CameraInfo> source = query.DistrictCode is { } code
            ? _byDistrict.GetValueOrDefault(code) ?? []
            : _byId;
        if (query.MinLatitude is { } minLat && query.MinLongitude is { } minLon && query.MaxLatitude is { } maxLat && query.MaxLongitude is { } maxLon)
            source = source.Where(c => c.Position.Latitude >= minLat && c.Position.Latitude <= maxLat &&
                                       c.Position.Longitude >= minLon && c.Position.Longitude <= maxLon);
        var all = source as IReadOnlyCollection<CameraInfo> ?? source.ToList();
        var items = all.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToArray();
        return new CameraPage(items, query.Page, query.PageSize, all.Count);
    }

    /// <summary>The whole catalog as columns for the dashboard's map; built on first use (a benign race builds it twice at worst).</summary>
    public CompactCameraList Compact => _compact ??= BuildCompact();

    private CompactCameraList BuildCompact()
    {
        var districtCodes = _byDistrict.Keys.Order(StringComparer.Ordinal).ToArray();
        var districtIndex = districtCodes.Select((code, i) => (code, i)).ToDictionary(x => x.code, x => (byte)x.i);
        return new CompactCameraList(_version, districtCodes,
            _byId.Select(c => c.Id).ToArray(),
            _byId.Select(c => c.Position.Latitude).ToArray(),
            _byId.Select(c => c.Position.Longitude).ToArray(),
            _byId.Select(c => districtIndex[c.DistrictCode]).ToArray(),
            _byId.Select(c => c.Purpose).ToArray(),
            _byId.Select(c => c.Status).ToArray());
    }

    private static (int Row, int Column) RowColumnOf(GeoPoint p) =>
        (Math.Clamp((int)((p.Latitude - OriginLatitude) / CellLatitudeDegrees), 0, Rows - 1),
         Math.Clamp((int)((p.Longitude - OriginLongitude) / CellLongitudeDegrees), 0, Columns - 1));

    private static int CellOf(GeoPoint p)
    {
        var (row, column) = RowColumnOf(p);
        return row * Columns + column;
    }

    /// <summary>The k closest so far, as a max-heap on (distance, id) so that ties resolve the same way everywhere.</summary>
    private sealed class TopK(int k)
    {
        private readonly PriorityQueue<CameraInfo, (double Distance, string Id)> _heap = new(k + 1, WorstFirst.Instance);

        public bool IsFull => _heap.Count >= k;

        public double WorstDistance => _heap.TryPeek(out _, out var p) ? p.Distance : double.MaxValue;

        public void Offer(double distance, CameraInfo camera)
        {
            if (IsFull)
            {
                _heap.TryPeek(out _, out var worst);
                if (WorstFirst.Instance.Compare((distance, camera.Id), worst) <= 0) return;
                _heap.EnqueueDequeue(camera, (distance, camera.Id));
                return;
            }
            _heap.Enqueue(camera, (distance, camera.Id));
        }

        public IReadOnlyList<CameraHit> ToHits(GeoPoint center)
        {
            var hits = new List<CameraHit>(_heap.Count);
            while (_heap.TryDequeue(out var camera, out var p))
                hits.Add(new CameraHit(camera, p.Distance, GeoMath.BearingDegrees(center, camera.Position)));
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
