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
/// rewrites only the tiles it changed; a layer stored the old way, as one record, moves to tiles at its next activation.
/// </summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class ContextLayerStorageTests(IncidentNodeFixture fixture)
{
    private const string LayerStateName = "context-layer";

    private TestNode Node => fixture.Node;

    private IGrainStorage Storage => Node.App.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);

    [Fact]
    public async Task A_layer_stored_as_one_record_moves_to_tiles_reads_back_whole_and_an_upsert_rewrites_only_the_tiles_it_touched()
    {
        var layer = $"legacy-{Guid.NewGuid():N}";
        var grain = Node.Grains.GetGrain<IContextLayerGrain>(layer);
        var random = new Random(14);
        var features = Enumerable.Range(0, 2000)
            .Select(i => Feature(layer, $"f-{i}", new GeoPoint(37.45 + random.NextDouble() * 0.24, 126.83 + random.NextDouble() * 0.32)))
            .ToArray();
        await Storage.WriteStateAsync(LayerStateName, grain.GetGrainId(),
            new GrainState<ContextLayerState>(new ContextLayerState { Features = features.ToDictionary(f => f.Id) }));

        Assert.Equal(features.Length, await grain.CountAsync());
        var moved = await ReadLayerAsync(grain);
        Assert.Empty(moved.Features);
        Assert.Equal(features.Length, moved.Tiles.Values.Sum());
        Assert.InRange(moved.Tiles.Count, 20, 60);
        var tiles = await ReadTilesAsync(layer, moved.Tiles.Keys);
        Assert.Equal(features.Select(f => f.Id).Order(), tiles.Values.SelectMany(Stored).Select(f => f.Id).Order());
        Assert.All(tiles, t => Assert.All(Stored(t.Value), f => Assert.Equal(t.Key, ContextTileStore.TileOf(f.Position))));

        // Read back from the tiles alone, by a new activation: the same answers as a scan of what was stored.
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal(features.Length, await grain.CountAsync());
        var center = new GeoPoint(37.56, 126.98);
        var scanned = features.Where(f => Math.Round(GeoMath.DistanceMeters(center, f.Position), 1) <= 3000)
            .OrderBy(f => Math.Round(GeoMath.DistanceMeters(center, f.Position), 1)).ThenBy(f => f.Id, StringComparer.Ordinal).Select(f => f.Id);
        Assert.Equal(scanned, (await grain.NearbyAsync(center, 3000, 10_000)).Select(f => f.Id));

        // One feature moves to another tile and one is new: those tiles (and only they) are written again.
        var mover = features[0];
        var destination = new GeoPoint(37.69, 127.14);
        await grain.UpsertAsync([mover with { Position = destination }, Feature(layer, "f-new", destination)]);
        var after = await ReadTilesAsync(layer, (await ReadLayerAsync(grain)).Tiles.Keys.Union(tiles.Keys));
        var rewritten = after.Where(t => !tiles.TryGetValue(t.Key, out var before) || before.ETag != t.Value.ETag).Select(t => t.Key).Order();
        Assert.Equal(new[] { ContextTileStore.TileOf(mover.Position), ContextTileStore.TileOf(destination) }.Distinct().Order(), rewritten);
        Assert.Equal(features.Length + 1, await grain.CountAsync());
        Assert.Contains(Stored(after[ContextTileStore.TileOf(destination)]), f => f.Id == mover.Id);
        Assert.DoesNotContain(Stored(after[ContextTileStore.TileOf(mover.Position)]), f => f.Id == mover.Id);
    }

    [Fact]
    public async Task A_move_to_tiles_that_stopped_half_way_is_finished_by_the_next_activation()
    {
        var layer = $"half-moved-{Guid.NewGuid():N}";
        var grain = Node.Grains.GetGrain<IContextLayerGrain>(layer);
        var features = Enumerable.Range(0, 50).Select(i => Feature(layer, $"f-{i}", new GeoPoint(37.551 + i * 0.0002, 126.971 + i * 0.0002))).ToArray();
        await Storage.WriteStateAsync(LayerStateName, grain.GetGrainId(),
            new GrainState<ContextLayerState>(new ContextLayerState { Features = features.ToDictionary(f => f.Id) }));
        // What a node stopped after writing the first tile of the move left behind: a tile record the layer does not list yet.
        var tile = ContextTileStore.TileOf(features[0].Position);
        await Storage.WriteStateAsync(ContextTileStore.StateName, ContextTileStore.RecordId(layer, tile),
            new GrainState<ContextTile>(new ContextTile { Features = [features[0]] }));

        Assert.Equal(features.Length, await grain.CountAsync());
        var stored = await ReadLayerAsync(grain);
        Assert.Empty(stored.Features);
        Assert.Equal([tile], stored.Tiles.Keys);
        Assert.Equal(features.Select(f => f.Id).Order(), Stored((await ReadTilesAsync(layer, [tile]))[tile]).Select(f => f.Id).Order());
    }

    [Fact]
    public async Task Replacing_a_layer_with_fewer_places_removes_the_tiles_left_empty()
    {
        var layer = $"replaced-{Guid.NewGuid():N}";
        var grain = Node.Grains.GetGrain<IContextLayerGrain>(layer);
        var north = Feature(layer, "north", new GeoPoint(37.65, 127.05));
        var south = Feature(layer, "south", new GeoPoint(37.48, 126.90));
        await grain.ReplaceAsync([north, south]);
        Assert.Equal(2, (await ReadLayerAsync(grain)).Tiles.Count);

        await grain.ReplaceAsync([north]);
        var stored = await ReadLayerAsync(grain);
        Assert.Equal([ContextTileStore.TileOf(north.Position)], stored.Tiles.Keys);
        var emptied = await ReadTilesAsync(layer, [ContextTileStore.TileOf(south.Position)]);
        Assert.Empty(Stored(emptied.Single().Value));
        Assert.Empty(await grain.NearbyAsync(south.Position, 100, 10));
    }

    private static ContextFeature Feature(string layer, string id, GeoPoint position) =>
        new(layer, id, position, id, new Dictionary<string, string> { ["capacity"] = "10" });

    private async Task<ContextLayerState> ReadLayerAsync(IContextLayerGrain grain)
    {
        var state = new GrainState<ContextLayerState>(new ContextLayerState());
        await Storage.ReadStateAsync(LayerStateName, grain.GetGrainId(), state);
        return state.State ?? new ContextLayerState();
    }

    private static ContextFeature[] Stored(GrainState<ContextTile> tile) => tile.State?.Features ?? [];

    private async Task<Dictionary<string, GrainState<ContextTile>>> ReadTilesAsync(string layer, IEnumerable<string> tiles)
    {
        var read = new Dictionary<string, GrainState<ContextTile>>(StringComparer.Ordinal);
        foreach (var tile in tiles)
        {
            var state = new GrainState<ContextTile>(new ContextTile());
            await Storage.ReadStateAsync(ContextTileStore.StateName, ContextTileStore.RecordId(layer, tile), state);
            read[tile] = state;
        }
        return read;
    }
}
