using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Context;

/// <summary>
/// One version of a layer's features in memory: by id (to find the tile a moved feature leaves), by tile (to write a tile)
/// and in the radius grid (to answer queries). An import builds the next version beside the one queries read, and the
/// grain swaps them when the import is stored, so a query never sees a layer half-imported.
/// </summary>
internal sealed class ContextLayerSnapshot
{
    private readonly Dictionary<string, ContextFeature> _features = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, ContextFeature>> _tiles = new(StringComparer.Ordinal);
    private readonly ContextGrid _grid = new();

    public static ContextLayerSnapshot Empty { get; } = new();

    public int Count => _features.Count;

    public IReadOnlyCollection<string> Tiles => _tiles.Keys;

    public static ContextLayerSnapshot Of(IEnumerable<ContextFeature> features)
    {
        var snapshot = new ContextLayerSnapshot();
        foreach (var feature in features) snapshot.Put(feature);
        return snapshot;
    }

    /// <summary>A copy with these features added or moved, and the tiles that changed (those left and those entered).</summary>
    public (ContextLayerSnapshot Next, HashSet<string> Touched) With(IEnumerable<ContextFeature> features)
    {
        var next = Of(_features.Values);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            if (next._features.TryGetValue(feature.Id, out var replaced)) touched.Add(ContextTileStore.TileOf(replaced.Position));
            touched.Add(ContextTileStore.TileOf(feature.Position));
            next.Put(feature);
        }
        return (next, touched);
    }

    public ContextFeature[] FeaturesIn(string tile) => _tiles.TryGetValue(tile, out var features) ? [.. features.Values] : [];

    public int CountIn(string tile) => _tiles.TryGetValue(tile, out var features) ? features.Count : 0;

    public IReadOnlyList<ContextFeature> Nearby(GeoPoint center, double radiusMeters, int limit) =>
        _grid.Near(center, radiusMeters)
            .Select(f => f with { DistanceMeters = Math.Round(GeoMath.DistanceMeters(center, f.Position), 1) })
            .Where(f => f.DistanceMeters <= radiusMeters)
            .OrderBy(f => f.DistanceMeters).ThenBy(f => f.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToArray();

    private void Put(ContextFeature feature)
    {
        if (_features.Remove(feature.Id, out var replaced))
        {
            _grid.Remove(replaced);
            var tile = ContextTileStore.TileOf(replaced.Position);
            _tiles[tile].Remove(feature.Id);
            if (_tiles[tile].Count == 0) _tiles.Remove(tile);
        }
        _features[feature.Id] = feature;
        _grid.Add(feature);
        var into = ContextTileStore.TileOf(feature.Position);
        if (!_tiles.TryGetValue(into, out var features)) _tiles[into] = features = new(StringComparer.Ordinal);
        features[feature.Id] = feature;
    }
}
