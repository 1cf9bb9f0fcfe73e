using System.Globalization;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Grains.Access;

/// <summary>
/// Which grant registry holds the grants on a camera: its district, cut into cells of about a kilometre. A registry
/// writes its whole state on every change, so a district-wide one would rewrite every open incident's grants in the
/// district on each opening; a cell's registry holds only the incidents near it.
/// </summary>
public static class GrantRegistryKey
{
    private const double CellLatitudeDegrees = 0.01;
    private const double CellLongitudeDegrees = 0.0125;

    public static string For(CameraInfo camera) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{camera.DistrictCode}/{Math.Floor(camera.Position.Latitude / CellLatitudeDegrees)}/{Math.Floor(camera.Position.Longitude / CellLongitudeDegrees)}");
}
