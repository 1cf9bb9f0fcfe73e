using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Context;

[GenerateSerializer, Alias("context-layer-state")]
public sealed class ContextLayerState
{
    [Id(0)] public Dictionary<string, ContextFeature> Features { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One city data layer, up to tens of thousands of points (the hydrants), answered from an in-memory grid.</summary>
public sealed class ContextLayerGrain(
    [PersistentState("context-layer", StorageNames.Default)] IPersistentState<ContextLayerState> state) : Grain, IContextLayerGrain
{
    private readonly ContextGrid _grid = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var feature in state.State.Features.Values) _grid.Add(feature);
        return Task.CompletedTask;
    }

    public async Task<int> UpsertAsync(ContextFeature[] features)
    {
        EnsureOwn(features);
        foreach (var feature in features) Put(feature);
        await state.WriteStateAsync();
        return features.Length;
    }

    public async Task<int> ReplaceAsync(ContextFeature[] features)
    {
        EnsureOwn(features);
        state.State.Features.Clear();
        _grid.Clear();
        foreach (var feature in features) Put(feature);
        await state.WriteStateAsync();
        return features.Length;
    }

    public ValueTask<IReadOnlyList<ContextFeature>> NearbyAsync(GeoPoint center, double radiusMeters, int limit) =>
        ValueTask.FromResult<IReadOnlyList<ContextFeature>>(_grid.Near(center, radiusMeters)
            .Select(f => f with { DistanceMeters = Math.Round(GeoMath.DistanceMeters(center, f.Position), 1) })
            .Where(f => f.DistanceMeters <= radiusMeters)
            .OrderBy(f => f.DistanceMeters).ThenBy(f => f.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToArray());

    public ValueTask<int> CountAsync() => ValueTask.FromResult(state.State.Features.Count);

    private void Put(ContextFeature feature)
    {
        if (state.State.Features.Remove(feature.Id, out var replaced)) _grid.Remove(replaced);
        state.State.Features[feature.Id] = feature;
        _grid.Add(feature);
    }

    private void EnsureOwn(ContextFeature[] features)
    {
        var layer = this.GetPrimaryKeyString();
        if (features.FirstOrDefault(f => f.Layer != layer) is { } stray)
            throw DomainException.Invalid($"Feature '{stray.Id}' belongs to layer '{stray.Layer}', not '{layer}'.");
    }
}
