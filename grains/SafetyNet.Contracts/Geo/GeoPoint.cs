namespace SafetyNet.Contracts.Geo;

/// <summary>A WGS84 position in decimal degrees.</summary>
[GenerateSerializer, Immutable, Alias("geo-point")]
public readonly record struct GeoPoint([property: Id(0)] double Latitude, [property: Id(1)] double Longitude)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsFinite => double.IsFinite(Latitude) && double.IsFinite(Longitude);
}
