using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Context;

/// <summary>A point of a city data layer (parking lot, hazardous-material facility, hydrant, shelter) with its attributes.</summary>
[GenerateSerializer, Immutable, Alias("context-feature")]
public sealed record ContextFeature(
    [property: Id(0)] string Layer,
    [property: Id(1)] string Id,
    [property: Id(2)] GeoPoint Position,
    [property: Id(3)] string Name,
    [property: Id(4)] Dictionary<string, string> Properties,
    [property: Id(5)] double? DistanceMeters = null,
    [property: Id(6)] bool Sample = false);
