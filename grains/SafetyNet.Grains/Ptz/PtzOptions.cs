using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Ptz;

/// <summary>Section "Ptz": how long a camera's PTZ lock lasts without a command, and how long the node waits for a camera.</summary>
public sealed class PtzOptions
{
    public const string Section = "Ptz";

    /// <summary>A lock lapses this long after its last command (and ends with its lease in any case); the camera then goes home.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one ONVIF request to a camera may take before it is reported unavailable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:00:30")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The ONVIF Timeout sent with every continuous move: the camera stops by itself after this even if the stop is lost (a
    /// closed browser tab), so a camera never keeps turning unattended.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan MoveTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
