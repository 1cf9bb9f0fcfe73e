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
/// Where a layer's features are kept: one grain-storage record per tile of 0.05° (about 5.5 × 4.4 km in Korea) and version
/// (<see cref="ContextTileRecord"/>), so that an import writes only the tiles it changed, and no record grows with the layer
/// (Seoul's 60,000 hydrants were one 35 MB record, written whole for every batch of an import). A record is written once and
/// removed once; it is never overwritten. The records are read and written through a grain storage that deletes a record
/// when it is cleared (<see cref="Persistence.StorageNames.ContextTiles"/>): a tile is storage, not an actor.
/// </summary>
public sealed class ContextTileStore(IGrainStorage storage, string layer)
{
    public const string StateName = "context-tile";
    public const double TileDegrees = 0.05;

    private readonly Dictionary<ContextTileRecord, GrainState<ContextTile>> _records = [];

    public static string TileOf(GeoPoint position) =>
        $"{(int)Math.Floor(position.Latitude / TileDegrees)}_{(int)Math.Floor(position.Longitude / TileDegrees)}";

    public static GrainId RecordId(string layer, ContextTileRecord record) =>
        GrainId.Create(StateName, record.Version == 0 ? $"{layer}/{record.Tile}" : $"{layer}/{record.Tile}@{record.Version}");

    /// <summary>
    /// The features of the records named, read one after another, each in a turn of its own: SQLite's reads complete
    /// synchronously, so without the yield a city's tiles would be read and deserialised in one turn of a second or more.
    /// </summary>
    public async Task<List<ContextFeature>> LoadAsync(IEnumerable<ContextTileRecord> records)
    {
        var features = new List<ContextFeature>();
        foreach (var record in records)
        {
            await Task.Yield();
            features.AddRange((await ReadAsync(record)).State?.Features ?? []);
        }
        return features;
    }

    /// <summary>
    /// Writes a new record. It fails if the record exists: a version is never reused, so only another activation of the same
    /// layer writing beside this one could have written it, and neither may overwrite the other.
    /// </summary>
    public async Task WriteAsync(ContextTileRecord record, ContextFeature[] features)
    {
        var written = new GrainState<ContextTile>(new ContextTile { Features = features });
        await storage.WriteStateAsync(StateName, RecordId(layer, record), written);
        _records[record] = written;
    }

    /// <summary>Removes the record if it exists (read first when this activation has not seen it).</summary>
    public async Task RemoveAsync(ContextTileRecord record)
    {
        var stored = _records.GetValueOrDefault(record) ?? await ReadAsync(record);
        if (stored.RecordExists) await storage.ClearStateAsync(StateName, RecordId(layer, record), stored);
        _records.Remove(record);
    }

    private async Task<GrainState<ContextTile>> ReadAsync(ContextTileRecord record)
    {
        var stored = new GrainState<ContextTile>(new ContextTile());
        await storage.ReadStateAsync(StateName, RecordId(layer, record), stored);
        _records[record] = stored;
        return stored;
    }
}
