namespace SafetyNet.Grains.Media;

/// <param name="PlaylistReady">The relay's current ffmpeg run has finished its first segment, so the playlist can be served.</param>
public sealed record RelayInfo(string CameraId, string PlaylistPath, bool PlaylistReady);
