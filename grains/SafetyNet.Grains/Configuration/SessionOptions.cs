using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Configuration;

/// <summary>Section "Sessions": how long an operator session lives without a heartbeat, and at most.</summary>
public sealed class SessionOptions
{
    public const string Section = "Sessions";

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromMinutes(2);

    [Range(typeof(TimeSpan), "00:00:01", "2.00:00:00")]
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(12);
}
