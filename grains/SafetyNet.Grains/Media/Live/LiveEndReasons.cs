namespace SafetyNet.Grains.Media.Live;

/// <summary>Why a live stream ended for a viewer, other than its lease ending.</summary>
public static class LiveEndReasons
{
    public const string RelayStopped = "relay-stopped";

    /// <summary>The relay's ffmpeg started over: a new init segment with timestamps from zero, which a playing MediaSource cannot continue.</summary>
    public const string RelayRestarted = "relay-restarted";

    public const string ViewerLeft = "viewer-left";
}
