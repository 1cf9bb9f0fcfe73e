using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Reference;

namespace SafetyNet.Grains.Demo;

/// <summary>Random points inside a district as the locator sees it: in the boundary polygon when known, else within the district's disc.</summary>
public sealed class DistrictPlacer(DistrictLocator locator)
{
    public GeoPoint PlaceIn(DistrictReference district, Random random)
    {
        var radiusDegrees = Math.Sqrt(district.AreaKm2 / Math.PI) * 1000 / 111_195.0;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            GeoPoint candidate;
            if (locator.HasBoundaryOf(district.Code))
            {
                candidate = new GeoPoint(
                    district.MinLatitude + random.NextDouble() * (district.MaxLatitude - district.MinLatitude),
                    district.MinLongitude + random.NextDouble() * (district.MaxLongitude - district.MinLongitude));
            }
            else
            {
                var r = radiusDegrees * Math.Sqrt(random.NextDouble());
                var theta = random.NextDouble() * 2 * Math.PI;
                candidate = new GeoPoint(
                    district.Centroid.Latitude + r * Math.Cos(theta),
                    district.Centroid.Longitude + r * Math.Sin(theta) / Math.Cos(GeoMath.ToRadians(district.Centroid.Latitude)));
            }
            candidate = new GeoPoint(Math.Round(candidate.Latitude, 6), Math.Round(candidate.Longitude, 6));
            if (locator.Locate(candidate) == district.Code) return candidate;
        }
        return district.Centroid;
    }
}
