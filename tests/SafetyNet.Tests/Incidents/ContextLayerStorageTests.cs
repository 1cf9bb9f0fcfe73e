using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;
using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Context;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>
/// Issue 14, a country-sized estate: a context layer is stored in tiles, so no record grows with the layer and an import
/// writes only the tiles it changed; a layer stored the old way, as one record, moves to tiles at its next activation. An
/// import is all or nothing: a node stopped half-way leaves the layer as it was or as imported, never part of each, and
/// queries answer from the layer as last imported while an import runs.
/// </summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class ContextLayerStorageTests(IncidentNodeFixture fixture)
{
    private const string LayerStateName = "context-layer";

    private TestNode Node => fixture.Node;

    /// <summary>Where layer records are stored.</summary>
    private IGrainStorage Storage => Node.App.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);

    /// <summary>
    /// Orleans' JSON grain storage over the same table, as the default storage wrote tile records before they had a storage of
    /// their own (and before grain state was sealed): Orleans' pub-sub store is one.
    /// </summary>
    private IGrainStorage EarlierJson => Node.App.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.PubSub);

    private IGrainStorage Tiles => Node.App.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.ContextTiles);

    [Fact]
    public async Task A_layer_stored_as_one_record_moves_to_tiles_reads_back_whole_and_an_upsert_rewrites_only_the_tiles_it_touched()
    {
        var layer = $"legacy-{Guid.NewGuid():N}";
        var grain = Node.Grains.GetGrain<IContextLayerGrain>(layer);
        var features = Scattered(layer, 2000);
        await Storage.WriteStateAsync(LayerStateName, grain.GetGrainId(),
            new GrainState<ContextLayerState>(new ContextLayerState { Features = features.ToDictionary(f => f.Id) }));

        Assert.Equal(features.Length, await grain.CountAsync());
        var moved = (await ReadLayerAsync(grain)).State!;
        Assert.Empty(moved.Features);
        Assert.Equal(features.Length, moved.Tiles.Values.Sum());
        Assert.InRange(moved.Tiles.Count, 20, 60);
        var tiles = await ReadCommittedAsync(layer, moved);
        Assert.Equal(features.Select(f => f.Id).Order(), tiles.Values.SelectMany(Stored).Select(f => f.Id).Order());
        Assert.All(tiles, t => Assert.All(Stored(t.Value), f => Assert.Equal(t.Key.Tile, ContextTileStore.TileOf(f.Position))));

        // Read back from the tiles alone, by a new activation: the same answers as a scan of what was stored.
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal(features.Length, await grain.CountAsync());
        var center = new GeoPoint(37.56, 126.98);
        var scanned = features.Where(f => Math.Round(GeoMath.DistanceMeters(center, f.Position), 1) <= 3000)
            .OrderBy(f => Math.Round(GeoMath.DistanceMeters(center, f.Position), 1)).ThenBy(f => f.Id, StringComparer.Ordinal).Select(f => f.Id);
        Assert.Equal(scanned, (await grain.NearbyAsync(center, 3000, 10_000)).Select(f => f.Id));

        // One feature moves to another tile and one is new: those tiles (and only they) get new records, and theirs go.
        var mover = features[0];
        var destination = new GeoPoint(37.69, 127.14);
        await grain.UpsertAsync([mover with { Position = destination }, Feature(layer, "f-new", destination)]);
        var upserted = (await ReadLayerAsync(grain)).State!;
        var rewritten = upserted.Tiles.Keys.Where(t => upserted.Versions[t] != moved.Versions[t]).Order();
        Assert.Equal(new[] { ContextTileStore.TileOf(mover.Position), ContextTileStore.TileOf(destination) }.Distinct().Order(), rewritten);
        foreach (var tile in rewritten)
            Assert.False((await ReadTileAsync(layer, new ContextTileRecord(tile, moved.Versions[tile]))).RecordExists);
        var after = await ReadCommittedAsync(layer, upserted);
        Assert.Equal(features.Length + 1, await grain.CountAsync());
        Assert.Contains(Stored(after[new ContextTileRecord(ContextTileStore.TileOf(destination), upserted.Versions[ContextTileStore.TileOf(destination)])]),
            f => f.Id == mover.Id);
        Assert.DoesNotContain(after.Values.SelectMany(Stored), f => f.Id == mover.Id && f.Position == mover.Position);
    }

    [Fact]
    public async Task A_move_to_tiles_that_stopped_half_way_is_finished_by_the_next_activation()
    {
        var layer = $"half-moved-{Guid.NewGuid():N}";
        var grain = Node.Grains.GetGrain<IContextLayerGrain>(layer);
        var features = Enumerable.Range(0, 50).Select(i => Feature(layer, $"f-{i}", new GeoPoint(37.551 + i * 0.0002, 126.971 + i * 0.0002))).ToArray();
        await Storage.WriteStateAsync(LayerStateName, grain.GetGrainId(),
            new GrainState<ContextLayerState>(new ContextLayerState { Features = features.ToDictionary(f => f.Id) }));
        // What an earlier version stopped after writing the first tile of the move left behind: an unversioned tile record
        // that the layer does not list.
        var stray = new ContextTileRecord(ContextTileStore.TileOf(features[0].Position), 0);
        await EarlierJson.WriteStateAsync(ContextTileStore.StateName, ContextTileStore.RecordId(layer, stray),
            new GrainState<ContextTile>(new ContextTile { Features = [features[0]] }));

        Assert.Equal(features.Length, await grain.CountAsync());
        var stored = (await ReadLayerAsync(grain)).State!;
        Assert.Empty(stored.Features);
        Assert.Equal([stray.Tile], stored.Tiles.Keys);
        var tiles = await ReadCommittedAsync(layer, stored);
        Assert.Equal(features.Select(f => f.Id).Order(), Stored(tiles.Single().Value).Select(f => f.Id).Order());
        Assert.False((await ReadTileAsync(layer, stray)).RecordExists);
    }

    [Fact]
    public async Task Tiles_stored_in_json_before_the_binary_format_read_back_and_are_rewritten_in_it()
    {
        var layer = $"json-tiles-{Guid.NewGuid():N}";
        var grain = Node.Grains.GetGrain<IContextLayerGrain>(layer);
        var features = Enumerable.Range(0, 40).Select(i => Feature(layer, $"f-{i}", new GeoPoint(37.551 + i * 0.0002, 126.971 + i * 0.0002))).ToArray();
        var tile = ContextTileStore.TileOf(features[0].Position);
        // As the thirteenth stop stored a layer: unversioned tile records, in the default storage's JSON.
        await EarlierJson.WriteStateAsync(ContextTileStore.StateName, ContextTileStore.RecordId(layer, new ContextTileRecord(tile, 0)),
            new GrainState<ContextTile>(new ContextTile { Features = features }));
        await Storage.WriteStateAsync(LayerStateName, grain.GetGrainId(),
            new GrainState<ContextLayerState>(new ContextLayerState { Tiles = new() { [tile] = features.Length } }));

        Assert.Equal(features.Length, await grain.CountAsync());
        Assert.Equal(features.Select(f => f.Id).Order(), (await grain.NearbyAsync(features[0].Position, 3000, 100)).Select(f => f.Id).Order());

        await grain.UpsertAsync([features[0] with { Name = "renamed" }]);
        var stored = (await ReadLayerAsync(grain)).State!;
        var rewritten = await ReadTileAsync(layer, new ContextTileRecord(tile, stored.Versions[tile]));
        Assert.Equal(features.Length, Stored(rewritten).Length);
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal("renamed", (await grain.NearbyAsync(features[0].Position, 1, 1)).Single().Name);
        Assert.False((await ReadTileAsync(layer, new ContextTileRecord(tile, 0))).RecordExists);
    }

    [Fact]
    public async Task Replacing_a_layer_with_fewer_places_removes_the_tiles_left_empty()
    {
        var (layer, grain, north, south) = await TwoPlacesAsync("replaced");
        var first = (await ReadLayerAsync(grain)).State!;
        Assert.Equal(2, first.Tiles.Count);

        await grain.ReplaceAsync([north]);
        var stored = (await ReadLayerAsync(grain)).State!;
        Assert.Equal([ContextTileStore.TileOf(north.Position)], stored.Tiles.Keys);
        Assert.Empty(stored.Retired);
        foreach (var (tile, version) in first.Versions)
            Assert.False((await ReadTileAsync(layer, new ContextTileRecord(tile, version))).RecordExists);
        Assert.Empty(await grain.NearbyAsync(south.Position, 100, 10));

        // A merge whose every row was rejected reaches the layer empty, and stores nothing.
        var etag = (await ReadLayerAsync(grain)).ETag;
        Assert.Equal(0, await grain.UpsertAsync([]));
        Assert.Equal(etag, (await ReadLayerAsync(grain)).ETag);
    }

    [Fact]
    public async Task A_replace_stopped_before_its_switch_leaves_the_layer_as_it_was_and_its_records_are_removed()
    {
        var (layer, grain, north, south) = await TwoPlacesAsync("stopped-before");
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        // What a node stopped in the middle of replacing the layer with a moved north leaves: the new version announced and
        // its first tile written, the layer's record not yet switched.
        var layerRecord = await ReadLayerAsync(grain);
        var pending = new ContextTileRecord(ContextTileStore.TileOf(north.Position), layerRecord.State!.LastVersion + 1);
        layerRecord.State!.LastVersion = pending.Version;
        layerRecord.State!.Pending = [pending, new ContextTileRecord(ContextTileStore.TileOf(south.Position), pending.Version)];
        await Storage.WriteStateAsync(LayerStateName, grain.GetGrainId(), layerRecord);
        await WriteTileAsync(layer, pending, north with { Name = "moved" });

        Assert.Equal(["north", "south"], (await grain.NearbyAsync(new GeoPoint(37.565, 126.975), 20_000, 10)).Select(f => f.Id).Order());
        Assert.Equal("north", (await grain.NearbyAsync(north.Position, 10, 1)).Single().Name);
        var stored = (await ReadLayerAsync(grain)).State!;
        Assert.Empty(stored.Pending);
        Assert.False((await ReadTileAsync(layer, pending)).RecordExists);

        // The same file imported again completes the replace.
        await grain.ReplaceAsync([north with { Name = "moved" }]);
        Assert.Equal("moved", (await grain.NearbyAsync(north.Position, 10, 1)).Single().Name);
        Assert.Empty(await grain.NearbyAsync(south.Position, 10, 1));
    }

    [Fact]
    public async Task A_replace_stopped_after_its_switch_leaves_the_layer_imported_and_the_old_records_are_removed()
    {
        var (layer, grain, north, _) = await TwoPlacesAsync("stopped-after");
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        // What a node stopped right after switching the layer to the north alone leaves: the old records still listed as
        // retired.
        var layerRecord = await ReadLayerAsync(grain);
        var old = layerRecord.State!.Versions.Select(v => new ContextTileRecord(v.Key, v.Value)).ToList();
        var switched = new ContextTileRecord(ContextTileStore.TileOf(north.Position), layerRecord.State!.LastVersion + 1);
        await WriteTileAsync(layer, switched, north with { Name = "switched" });
        layerRecord.State!.LastVersion = switched.Version;
        layerRecord.State!.Tiles = new() { [switched.Tile] = 1 };
        layerRecord.State!.Versions = new() { [switched.Tile] = switched.Version };
        layerRecord.State!.Retired = old;
        await Storage.WriteStateAsync(LayerStateName, grain.GetGrainId(), layerRecord);

        Assert.Equal(["switched"], (await grain.NearbyAsync(new GeoPoint(37.565, 126.975), 20_000, 10)).Select(f => f.Name));
        Assert.Empty((await ReadLayerAsync(grain)).State!.Retired);
        foreach (var record in old) Assert.False((await ReadTileAsync(layer, record)).RecordExists);
    }

    [Fact]
    public async Task Queries_during_an_import_answer_at_once_from_the_layer_as_last_imported()
    {
        var layer = $"busy-{Guid.NewGuid():N}";
        var grain = Node.Grains.GetGrain<IContextLayerGrain>(layer);
        var before = Scattered(layer, 20_000, degrees: 3.2);
        await grain.ReplaceAsync(before);
        var lastVersion = (await ReadLayerAsync(grain)).State!.LastVersion;

        // The import is stopped half-way through writing its tiles: it has announced them and written some.
        using var hold = fixture.TileStorage.Hold(StorageCall.Write, record => record.Key.ToString().StartsWith($"{layer}/", StringComparison.Ordinal), passing: 100);
        var import = grain.ReplaceAsync(before.Select(f => f with { Name = "new" }).ToArray());
        await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60));
        var announced = (await ReadLayerAsync(grain)).State!;
        Assert.Equal(lastVersion + 1, announced.LastVersion);
        Assert.True(announced.Pending.Count > 100, $"The import announced {announced.Pending.Count} tiles.");
        Assert.True((await ReadTileAsync(layer, announced.Pending[0])).RecordExists);

        // A query does not wait for the import, and answers from the layer as it was.
        var center = new GeoPoint(37.56, 126.98);
        var during = await grain.NearbyAsync(center, 5000, 10_000).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEmpty(during);
        Assert.All(during, f => Assert.NotEqual("new", f.Name));
        Assert.Equal(before.Length, await grain.CountAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(import.IsCompleted);

        hold.Dispose();
        await import;
        Assert.All(await grain.NearbyAsync(center, 5000, 10_000), f => Assert.Equal("new", f.Name));
    }

    /// <summary>Points spread over Seoul's built-up area, or over a square of the degrees given north-east of its south-west corner.</summary>
    private static ContextFeature[] Scattered(string layer, int count, double? degrees = null)
    {
        var random = new Random(14);
        return Enumerable.Range(0, count)
            .Select(i => Feature(layer, $"f-{i}", new GeoPoint(37.45 + random.NextDouble() * (degrees ?? 0.24), 126.83 + random.NextDouble() * (degrees ?? 0.32))))
            .ToArray();
    }

    /// <summary>A new layer replaced with one place in the north of Seoul and one in the south, each in a tile of its own.</summary>
    private async Task<(string Layer, IContextLayerGrain Grain, ContextFeature North, ContextFeature South)> TwoPlacesAsync(string name)
    {
        var layer = $"{name}-{Guid.NewGuid():N}";
        var grain = Node.Grains.GetGrain<IContextLayerGrain>(layer);
        var north = Feature(layer, "north", new GeoPoint(37.65, 127.05));
        var south = Feature(layer, "south", new GeoPoint(37.48, 126.90));
        await grain.ReplaceAsync([north, south]);
        return (layer, grain, north, south);
    }

    /// <summary>A tile record as a node writes one during an import.</summary>
    private Task WriteTileAsync(string layer, ContextTileRecord record, ContextFeature feature) =>
        Tiles.WriteStateAsync(ContextTileStore.StateName, ContextTileStore.RecordId(layer, record), new GrainState<ContextTile>(new ContextTile { Features = [feature] }));

    private static ContextFeature Feature(string layer, string id, GeoPoint position) =>
        new(layer, id, position, id, new Dictionary<string, string> { ["capacity"] = "10" });

    private async Task<GrainState<ContextLayerState>> ReadLayerAsync(IContextLayerGrain grain)
    {
        var state = new GrainState<ContextLayerState>(new ContextLayerState());
        await Storage.ReadStateAsync(LayerStateName, grain.GetGrainId(), state);
        state.State ??= new ContextLayerState();
        return state;
    }

    private static ContextFeature[] Stored(GrainState<ContextTile> tile) => tile.State?.Features ?? [];

    private async Task<GrainState<ContextTile>> ReadTileAsync(string layer, ContextTileRecord record)
    {
        var state = new GrainState<ContextTile>(new ContextTile());
        await Tiles.ReadStateAsync(ContextTileStore.StateName, ContextTileStore.RecordId(layer, record), state);
        return state;
    }

    private async Task<Dictionary<ContextTileRecord, GrainState<ContextTile>>> ReadCommittedAsync(string layer, ContextLayerState stored)
    {
        var read = new Dictionary<ContextTileRecord, GrainState<ContextTile>>();
        foreach (var tile in stored.Tiles.Keys)
        {
            var record = new ContextTileRecord(tile, stored.Versions.GetValueOrDefault(tile));
            read[record] = await ReadTileAsync(layer, record);
        }
        return read;
    }
}

