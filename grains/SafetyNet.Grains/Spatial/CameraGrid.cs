using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Spatial;

/// <summary>
/// About 250 m cells laid over the cameras' own extent, whatever the region. Cells are keyed (row, column) and only
/// occupied ones are stored, so memory follows the number of cameras, not the area of the country.
/// </summary>
public sealed class CameraGrid
{
    public const double CellMeters = 250;
    public const double MetersPerDegreeLatitude = 111_195.0;
    private const double Margin = 0.02;

    private readonly double _originLatitude;
    private readonly double _originLongitude;
    private readonly double _cellLatitudeDegrees = CellMeters / MetersPerDegreeLatitude;
    private readonly double _cellLongitudeDegrees;

    private CameraGrid(double minLatitude, double minLongitude, double maxLatitude, double referenceLatitude)
    {
        _originLatitude = minLatitude - Margin;
        _originLongitude = minLongitude - Margin;
        _cellLongitudeDegrees = CellMeters / (MetersPerDegreeLatitude * Math.Cos(GeoMath.ToRadians(referenceLatitude)));
        // The narrowest a cell gets (east-west width shrinks northwards), less a margin for the difference between this
        // planar bound and the great-circle distance.
        CellMinimumMeters = Math.Min(CellMeters,
            _cellLongitudeDegrees * MetersPerDegreeLatitude * Math.Cos(GeoMath.ToRadians(maxLatitude + Margin))) * 0.99;
    }

    /// <summary>No cell is narrower than this anywhere the cameras are.</summary>
    public double CellMinimumMeters { get; }

    public static CameraGrid Over(IReadOnlyList<GeoPoint> points)
    {
        if (points.Count == 0) return new CameraGrid(SeoulBounds.MinLatitude, SeoulBounds.MinLongitude, SeoulBounds.MaxLatitude, 37.56);
        double minLat = double.MaxValue, minLon = double.MaxValue, maxLat = double.MinValue;
        foreach (var p in points)
        {
            minLat = Math.Min(minLat, p.Latitude);
            maxLat = Math.Max(maxLat, p.Latitude);
            minLon = Math.Min(minLon, p.Longitude);
        }
        return new CameraGrid(minLat, minLon, maxLat, (minLat + maxLat) / 2);
    }

    public (int Row, int Column) RowColumnOf(GeoPoint p) =>
        ((int)Math.Floor((p.Latitude - _originLatitude) / _cellLatitudeDegrees),
         (int)Math.Floor((p.Longitude - _originLongitude) / _cellLongitudeDegrees));

    public static long KeyOf(int row, int column) => ((long)row << 32) | (uint)column;

    /// <summary>
    /// Hashes a cell key by mixing all its bits. <see cref="long.GetHashCode"/> is row XOR column, which gives a national
    /// grid (thousands of rows and columns) only a few thousand distinct hashes for hundreds of thousands of cells, so every
    /// lookup walked a long chain of cache misses.
    /// </summary>
    public sealed class CellKeyComparer : IEqualityComparer<long>
    {
        public static readonly CellKeyComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long key) => (int)((ulong)key * 0x9E3779B97F4A7C15UL >> 32);
    }

    public long KeyOf(GeoPoint p)
    {
        var (row, column) = RowColumnOf(p);
        return KeyOf(row, column);
    }
}
