using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Context;

/// <summary>
/// One city data layer (key: layer name, e.g. "parking", "hazmat", "hydrants", "shelters"). Queries interleave with an
/// import and answer from the layer as last imported.
/// </summary>
[Alias("context-layer")]
public interface IContextLayerGrain : IGrainWithStringKey
{
    [Alias("upsert")]
    Task<int> UpsertAsync(ContextFeature[] features);

    /// <summary>The layer becomes exactly these features: a real file replacing the sample data, or an older version of itself.</summary>
    [Alias("replace")]
    Task<int> ReplaceAsync(ContextFeature[] features);

    [Alias("nearby"), AlwaysInterleave]
    ValueTask<IReadOnlyList<ContextFeature>> NearbyAsync(GeoPoint center, double radiusMeters, int limit);

    [Alias("count"), AlwaysInterleave]
    ValueTask<int> CountAsync();
}
