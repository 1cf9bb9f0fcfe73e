using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Context;

/// <summary>One city data layer (key: layer name, e.g. "parking", "hazmat", "hydrants", "shelters").</summary>
[Alias("context-layer")]
public interface IContextLayerGrain : IGrainWithStringKey
{
    [Alias("upsert")]
    Task<int> UpsertAsync(ContextFeature[] features);

    [Alias("nearby"), ReadOnly]
    ValueTask<IReadOnlyList<ContextFeature>> NearbyAsync(GeoPoint center, double radiusMeters, int limit);

    [Alias("count"), ReadOnly]
    ValueTask<int> CountAsync();
}
