using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    /// <summary>The version of each tile's record; a tile not listed is in its unversioned record (version 0).</summary>
    [Id(2)] public Dictionary<string, long> Versions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The last version an import took; versions are never reused.</summary>
    [Id(3)] public long LastVersion { get; set; }

    /// <summary>Records an import is writing and has not yet switched the layer to; removed if the import never finished.</summary>
    [Id(4)] public List<ContextTileRecord> Pending { get; set; } = [];

    /// <summary>Records the last import switched the layer away from, still to be removed.</summary>
    [Id(5)] public List<ContextTileRecord> Retired { get; set; } = [];
}

/// <summary>
/// One city data layer, up to tens of thousands of points (the hydrants), answered from an in-memory grid and stored in
/// tiles. An import is all or nothing, in storage and in memory:
/// <list type="number">
/// <item>the layer's record names the new tile records it is about to write (<see cref="ContextLayerState.Pending"/>);</item>
/// <item>the tiles the import changed are written as new records, beside the old ones;</item>
/// <item>one write of the layer's record switches it to the new records: the import is done, and memory switches too;</item>
/// <item>the records it switched away from are removed.</item>
/// </list>
/// A node stopped before step 3 leaves the layer as it was, one stopped after it leaves the layer imported; the next
/// activation removes whichever records are left over. Queries interleave with an import and read the layer as last
/// imported, so a 119 incident's hydrants never wait for an import or see half of one.
/// </summary>
public sealed class ContextLayerGrain(
    [PersistentState("context-layer", StorageNames.Default)] IPersistentState<ContextLayerState> state,
    ILogger<ContextLayerGrain> logger) : Grain, IContextLayerGrain
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(2);
    private ContextLayerSnapshot _layer = ContextLayerSnapshot.Empty;
    private ContextTileStore _store = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _store = new ContextTileStore(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.ContextTiles), this.GetPrimaryKeyString());
        await RemoveLeftOversAsync();
        var stored = state.State;
        if (stored.Features.Count > 0)
        {
            // A layer stored as one record moves to tiles, and an unversioned record that an earlier, interrupted move left
            // behind goes with the rest.
            var layer = ContextLayerSnapshot.Of(stored.Features.Values);
            await ImportAsync(layer, layer.Tiles.ToHashSet(StringComparer.Ordinal), layer.Tiles.Select(t => new ContextTileRecord(t, 0)));
            return;
        }
        if (stored.Tiles.Count == 0) return;
        var started = Stopwatch.GetTimestamp();
        _layer = ContextLayerSnapshot.Of(await _store.LoadAsync(stored.Tiles.Keys.Select(Committed)));
        logger.LogInformation("Layer {Layer} read back: {Features} features from {Tiles} tiles in {Seconds:F2} s",
            this.GetPrimaryKeyString(), _layer.Count, stored.Tiles.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    public async Task<int> UpsertAsync(ContextFeature[] features)
    {
        EnsureOwn(features);
        var (next, touched) = _layer.With(features);
        await ImportAsync(next, touched, []);
        return features.Length;
    }

    public async Task<int> ReplaceAsync(ContextFeature[] features)
    {
        EnsureOwn(features);
        var next = ContextLayerSnapshot.Of(features);
        await ImportAsync(next, _layer.Tiles.Concat(next.Tiles).ToHashSet(StringComparer.Ordinal), []);
        return features.Length;
    }

    public ValueTask<IReadOnlyList<ContextFeature>> NearbyAsync(GeoPoint center, double radiusMeters, int limit) =>
        ValueTask.FromResult(_layer.Nearby(center, radiusMeters, limit));

    public ValueTask<int> CountAsync() => ValueTask.FromResult(_layer.Count);

    private ContextTileRecord Committed(string tile) => new(tile, state.State.Versions.GetValueOrDefault(tile));

    /// <summary>
    /// Stores <paramref name="next"/> by writing its touched tiles as new records, then switches the layer's record and
    /// memory to it, then removes the records it replaced. Each tile is written in a turn of its own: SQLite's writes complete
    /// synchronously, so without the yield a city's tiles would be serialised and written in one turn of a second or more.
    /// </summary>
    private async Task ImportAsync(ContextLayerSnapshot next, IReadOnlySet<string> touched, IEnumerable<ContextTileRecord> alsoRetired)
    {
        // A merge whose every row was rejected, or a replace of an empty layer with nothing: nothing to store.
        if (touched.Count == 0) return;
        try
        {
            await RemoveLeftOversAsync();
            var stored = state.State;
            var version = stored.LastVersion + 1;
            var written = touched.Where(t => next.CountIn(t) > 0).Order(StringComparer.Ordinal).Select(t => new ContextTileRecord(t, version)).ToList();
            stored.LastVersion = version;
            stored.Pending = written;
            await state.WriteStateAsync();

            var started = Stopwatch.GetTimestamp();
            var lastProgress = started;
            for (var i = 0; i < written.Count; i++)
            {
                await Task.Yield();
                await _store.WriteAsync(written[i], next.FeaturesIn(written[i].Tile));
                if (Stopwatch.GetElapsedTime(lastProgress) < ProgressEvery) continue;
                lastProgress = Stopwatch.GetTimestamp();
                logger.LogInformation("Importing layer {Layer}: {Written} of {Tiles} tiles written in {Seconds:F1} s",
                    this.GetPrimaryKeyString(), i + 1, written.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }

            var retired = touched.Where(stored.Tiles.ContainsKey).Select(Committed).Concat(alsoRetired).Distinct().ToList();
            stored.Features = new(StringComparer.Ordinal);
            stored.Tiles = next.Tiles.ToDictionary(t => t, next.CountIn, StringComparer.Ordinal);
            stored.Versions = next.Tiles.ToDictionary(t => t, t => touched.Contains(t) ? version : stored.Versions.GetValueOrDefault(t), StringComparer.Ordinal);
            stored.Pending = [];
            stored.Retired = retired;
            await state.WriteStateAsync();
            _layer = next;
            logger.LogInformation("Layer {Layer} imported: {Features} features, {Written} tiles written in {Seconds:F1} s; {Retired} old tile records to remove",
                this.GetPrimaryKeyString(), next.Count, written.Count, Stopwatch.GetElapsedTime(started).TotalSeconds, retired.Count);
        }
        catch
        {
            // Whether the switch was stored is unknown: the next activation reads what was.
            DeactivateOnIdle();
            throw;
        }
        try
        {
            await RemoveLeftOversAsync();
        }
        catch (Exception e)
        {
            // The import is stored; the records it replaced stay listed, and the next import or activation removes them.
            logger.LogWarning(e, "Removing the {Count} tile records that layer {Layer}'s import replaced failed; they are removed later",
                state.State.Retired.Count, this.GetPrimaryKeyString());
        }
    }

    /// <summary>Removes the records of an import that never finished, and those a finished one replaced.</summary>
    private async Task RemoveLeftOversAsync()
    {
        var stored = state.State;
        if (stored.Pending.Count == 0 && stored.Retired.Count == 0) return;
        foreach (var record in stored.Pending.Concat(stored.Retired))
        {
            await Task.Yield();
            await _store.RemoveAsync(record);
        }
        stored.Pending = [];
        stored.Retired = [];
        await state.WriteStateAsync();
    }

    private void EnsureOwn(ContextFeature[] features)
    {
        var layer = this.GetPrimaryKeyString();
        if (features.FirstOrDefault(f => f.Layer != layer) is { } stray)
            throw DomainException.Invalid($"Feature '{stray.Id}' belongs to layer '{stray.Layer}', not '{layer}'.");
    }
}
