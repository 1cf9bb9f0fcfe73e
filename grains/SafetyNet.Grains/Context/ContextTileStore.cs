using Orleans.Storage;
using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Context;

/// <summary>The features of one tile of a layer, as stored.</summary>
[GenerateSerializer, Alias("context-tile")]
public sealed class ContextTile
{
    [Id(0)] public ContextFeature[] Features { get; set; } = [];
}

/// <summary>
/// Where a layer's features are kept: one grain-storage record per tile of 0.05° (about 5.5 × 4.4 km in Korea), so that an
/// import writes only the tiles it changed, and no record grows with the layer (Seoul's 60,000 hydrants were one 35 MB
/// record, written whole for every batch of an import). The records are read and written through the grain storage
/// directly: a tile is storage, not an actor.
/// </summary>
public sealed class ContextTileStore(IGrainStorage storage, string layer)
{
    public const string StateName = "context-tile";
    public const double TileDegrees = 0.05;

    private readonly Dictionary<string, GrainState<ContextTile>> _records = new(StringComparer.Ordinal);

    public static string TileOf(GeoPoint position) =>
        $"{(int)Math.Floor(position.Latitude / TileDegrees)}_{(int)Math.Floor(position.Longitude / TileDegrees)}";

    public static GrainId RecordId(string layer, string tile) => GrainId.Create(StateName, $"{layer}/{tile}");

    /// <summary>
    /// The features of the tiles named, read one after another, each in a turn of its own: SQLite's reads complete
    /// synchronously, so without the yield a city's tiles would be read and deserialised in one turn of a second or more.
    /// </summary>
    public async Task<List<ContextFeature>> LoadAsync(IEnumerable<string> tiles)
    {
        var features = new List<ContextFeature>();
        foreach (var tile in tiles)
        {
            await Task.Yield();
            var record = new GrainState<ContextTile>(new ContextTile());
            await storage.ReadStateAsync(StateName, RecordId(layer, tile), record);
            _records[tile] = record;
            features.AddRange(record.State?.Features ?? []);
        }
        return features;
    }

    /// <summary>The tile becomes exactly these features; an empty tile's record is removed.</summary>
    public async Task SaveAsync(string tile, ContextFeature[] features)
    {
        if (!_records.TryGetValue(tile, out var record)) _records[tile] = record = new GrainState<ContextTile>(new ContextTile());
        try
        {
            await WriteAsync(tile, record, features);
        }
        catch (InconsistentStateException)
        {
            // A record this activation did not read (left by an import that stopped half-way): take its version, then write.
            await storage.ReadStateAsync(StateName, RecordId(layer, tile), record);
            await WriteAsync(tile, record, features);
        }
    }

    private Task WriteAsync(string tile, GrainState<ContextTile> record, ContextFeature[] features)
    {
        record.State = new ContextTile { Features = features };
        if (features.Length > 0) return storage.WriteStateAsync(StateName, RecordId(layer, tile), record);
        return record.RecordExists ? storage.ClearStateAsync(StateName, RecordId(layer, tile), record) : Task.CompletedTask;
    }
}
