using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Context;

[GenerateSerializer, Alias("context-layer-state")]
public sealed class ContextLayerState
{
    /// <summary>Every feature in this one record, as layers were stored before tiles; moved to tiles on activation.</summary>
    [Id(0)] public Dictionary<string, ContextFeature> Features { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The tiles the layer's features are stored in (<see cref="ContextTileStore"/>), with how many each holds.</summary>
    [Id(1)] public Dictionary<string, int> Tiles { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One city data layer, up to tens of thousands of points (the hydrants), answered from an in-memory grid and stored in
/// tiles: an import writes the tiles it changed, then this small record of which tiles there are. A write that fails leaves
/// memory ahead of storage, so the activation is dropped and the next one reads what was stored; an import that stopped
/// half-way is finished by importing the same file again.
/// </summary>
public sealed class ContextLayerGrain(
    [PersistentState("context-layer", StorageNames.Default)] IPersistentState<ContextLayerState> state) : Grain, IContextLayerGrain
{
    private readonly ContextGrid _grid = new();
    private readonly Dictionary<string, ContextFeature> _features = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, ContextFeature>> _tiles = new(StringComparer.Ordinal);
    private ContextTileStore _store = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _store = new ContextTileStore(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default), this.GetPrimaryKeyString());
        if (state.State.Features.Count > 0)
        {
            foreach (var feature in state.State.Features.Values) Put(feature);
            await SaveAsync(_tiles.Keys.ToList());
            return;
        }
        foreach (var feature in await _store.LoadAsync(state.State.Tiles.Keys)) Put(feature);
    }

    public async Task<int> UpsertAsync(ContextFeature[] features)
    {
        EnsureOwn(features);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            if (_features.TryGetValue(feature.Id, out var replaced)) touched.Add(ContextTileStore.TileOf(replaced.Position));
            touched.Add(ContextTileStore.TileOf(feature.Position));
            Put(feature);
        }
        await SaveAsync(touched);
        return features.Length;
    }

    public async Task<int> ReplaceAsync(ContextFeature[] features)
    {
        EnsureOwn(features);
        var touched = new HashSet<string>(_tiles.Keys, StringComparer.Ordinal);
        _features.Clear();
        _tiles.Clear();
        _grid.Clear();
        foreach (var feature in features)
        {
            touched.Add(ContextTileStore.TileOf(feature.Position));
            Put(feature);
        }
        await SaveAsync(touched);
        return features.Length;
    }

    public ValueTask<IReadOnlyList<ContextFeature>> NearbyAsync(GeoPoint center, double radiusMeters, int limit) =>
        ValueTask.FromResult<IReadOnlyList<ContextFeature>>(_grid.Near(center, radiusMeters)
            .Select(f => f with { DistanceMeters = Math.Round(GeoMath.DistanceMeters(center, f.Position), 1) })
            .Where(f => f.DistanceMeters <= radiusMeters)
            .OrderBy(f => f.DistanceMeters).ThenBy(f => f.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToArray());

    public ValueTask<int> CountAsync() => ValueTask.FromResult(_features.Count);

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

    /// <summary>
    /// Writes the touched tiles one after another, each in a turn of its own (SQLite's writes complete synchronously, so
    /// without the yield a city's tiles would be serialised and written in one turn of a second or more), then the list of
    /// tiles, which also drops the one-record copy of a layer stored before tiles.
    /// </summary>
    private async Task SaveAsync(IReadOnlyCollection<string> touched)
    {
        try
        {
            foreach (var tile in touched.Order(StringComparer.Ordinal))
            {
                await Task.Yield();
                await _store.SaveAsync(tile, _tiles.TryGetValue(tile, out var features) ? [.. features.Values] : []);
            }
            state.State.Features = new(StringComparer.Ordinal);
            state.State.Tiles = _tiles.ToDictionary(t => t.Key, t => t.Value.Count, StringComparer.Ordinal);
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private void EnsureOwn(ContextFeature[] features)
    {
        var layer = this.GetPrimaryKeyString();
        if (features.FirstOrDefault(f => f.Layer != layer) is { } stray)
            throw DomainException.Invalid($"Feature '{stray.Id}' belongs to layer '{stray.Layer}', not '{layer}'.");
    }
}
