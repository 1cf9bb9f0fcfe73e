using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Configuration;

namespace SafetyNet.Grains.Cameras;

/// <summary>What a camera's privacy masks must be: bounded, finite, inside the frame, and each a real area.</summary>
public static class PrivacyMaskRules
{
    /// <summary>Null when the polygons are acceptable; otherwise what is wrong, naming the polygon and point.</summary>
    public static string? Problem(MaskPolygon[]? polygons, PrivacyMaskOptions options)
    {
        if (polygons is null) return "polygons is required (an empty list clears the masks).";
        if (polygons.Length > options.MaxPolygons) return $"A camera takes at most {options.MaxPolygons} mask polygons; {polygons.Length} were given.";
        for (var i = 0; i < polygons.Length; i++)
        {
            var points = polygons[i]?.Points;
            if (points is null || points.Length < 3 || points.Length > options.MaxPointsPerPolygon)
                return $"polygons[{i}] must have 3 to {options.MaxPointsPerPolygon} points.";
            for (var j = 0; j < points.Length; j++)
                if (points[j] is not { } p || !InFrame(p.X) || !InFrame(p.Y))
                    return $"polygons[{i}].points[{j}]: x and y must be numbers from 0 to 1 (fractions of the frame's width and height).";
            if (Math.Abs(Area(points)) < 1e-6) return $"polygons[{i}] encloses no area.";
        }
        return null;
    }

    private static bool InFrame(double v) => double.IsFinite(v) && v is >= 0 and <= 1;

    /// <summary>The shoelace formula; its sign gives the winding, its size the area.</summary>
    private static double Area(MaskPoint[] points)
    {
        var sum = 0.0;
        for (var i = 0; i < points.Length; i++)
        {
            var (a, b) = (points[i], points[(i + 1) % points.Length]);
            sum += a.X * b.Y - b.X * a.Y;
        }
        return sum / 2;
    }
}
