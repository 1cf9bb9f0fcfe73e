using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Context;

/// <summary>One city data layer (key: layer name, e.g. "parking", "hazmat", "hydrants", "shelters").</summary>
[Alias("context-layer")]
public interface IContextLayerGrain : IGrainWithStringKey
{
    [Alias("upsert")]
    Task<int> UpsertAsync(ContextFeature[] features);

    /// <summary>The layer becomes exactly these features: a real file replacing the sample data, or an older version of itself.</summary>
    [Alias("replace")]
    Task<int> ReplaceAsync(ContextFeature[] features);

    [Alias("nearby"), ReadOnly]
    ValueTask<IReadOnlyList<ContextFeature>> NearbyAsync(GeoPoint center, double radiusMeters, int limit);

    [Alias("count"), ReadOnly]
    ValueTask<int> CountAsync();
}
