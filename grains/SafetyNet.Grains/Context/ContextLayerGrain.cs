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

/// <summary>One city data layer; a few thousand points at most, so a linear scan answers a radius query in microseconds.</summary>
public sealed class ContextLayerGrain(
    [PersistentState("context-layer", StorageNames.Default)] IPersistentState<ContextLayerState> state) : Grain, IContextLayerGrain
{
    public async Task<int> UpsertAsync(ContextFeature[] features)
    {
        var layer = this.GetPrimaryKeyString();
        if (features.FirstOrDefault(f => f.Layer != layer) is { } stray)
            throw DomainException.Invalid($"Feature '{stray.Id}' belongs to layer '{stray.Layer}', not '{layer}'.");
        foreach (var feature in features) state.State.Features[feature.Id] = feature;
        await state.WriteStateAsync();
        return features.Length;
    }

    public ValueTask<IReadOnlyList<ContextFeature>> NearbyAsync(GeoPoint center, double radiusMeters, int limit) =>
        ValueTask.FromResult<IReadOnlyList<ContextFeature>>(state.State.Features.Values
            .Select(f => f with { DistanceMeters = Math.Round(GeoMath.DistanceMeters(center, f.Position), 1) })
            .Where(f => f.DistanceMeters <= radiusMeters)
            .OrderBy(f => f.DistanceMeters).ThenBy(f => f.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToArray());

    public ValueTask<int> CountAsync() => ValueTask.FromResult(state.State.Features.Count);
}
