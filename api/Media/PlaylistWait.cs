namespace SafetyNet.Api.Media;

/// <summary>
/// The answer to a playlist request that found no playlist yet: the path once the camera's stream served one within the
/// node's first-request wait, or else why not (a reason code and a sentence) and when to ask again.
/// </summary>
public sealed record PlaylistWait(string? Path, string? Reason, string? Detail, TimeSpan RetryAfter)
{
    public static PlaylistWait Ready(string path) => new(path, null, null, TimeSpan.Zero);
}
