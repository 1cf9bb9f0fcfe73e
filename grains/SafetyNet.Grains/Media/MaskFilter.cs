namespace SafetyNet.Grains.Media;

/// <summary>The ffmpeg filter graph that lays a camera's mask picture (<see cref="MaskImage"/>) over its frames.</summary>
public static class MaskFilter
{
    /// <summary>
    /// Scales the mask to the frame (whatever the camera's resolution) and overlays it. The mask is a single picture:
    /// overlay repeats it over every later frame (eof_action=repeat), so the camera sets the pace, not the picture.
    /// </summary>
    public static string Graph(string frameInput, string maskInput, string output) =>
        $"[{maskInput}]format=rgba[mask_rgba];[mask_rgba][{frameInput}]scale2ref[mask_fit][frame];" +
        $"[frame][mask_fit]overlay=format=auto:eof_action=repeat[{output}]";
}
