using SafetyNet.Contracts.Geo;

namespace SafetyNet.Grains.Misuse;

/// <summary>Where cameras and incidents are, for the rules that compare places; null when unknown (that rule then stays silent).</summary>
public interface IMisusePlaces
{
    GeoPoint? Camera(string cameraId);

    GeoPoint? Incident(string incidentId);
}
