namespace SafetyNet.Grains.Media.Uplink;

/// <summary>What ffmpeg opens for a camera: the URL, and for an HTTP camera reached through its uplink the Host header to send.</summary>
public sealed record CameraSource(string Url, string? HttpHost = null);
