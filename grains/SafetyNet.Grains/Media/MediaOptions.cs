using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SafetyNet.Grains.Media;

/// <summary>Section "Media": the ffmpeg relays this node runs, one per camera being watched.</summary>
public sealed partial class MediaOptions : IValidatableObject
{
    public const string Section = "Media";

    /// <summary>The ffmpeg binary: a name found on PATH, or a path.</summary>
    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>util-linux setpriv: every ffmpeg runs under it with a parent-death signal, so that no relay outlives its node.</summary>
    [Required]
    public string SetprivPath { get; set; } = "setpriv";

    [Required]
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>The TrueType font the camera id, capture time and viewer are burnt into every snapshot with (Debian: fonts-dejavu-core).</summary>
    [Required]
    public string SnapshotFontPath { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>Each camera's playlist, segments and latest frame live in {WorkingDirectory}/{cameraId}/.</summary>
    [Required]
    public string WorkingDirectory { get; set; } = "";

    /// <summary>Target HLS segment length; a segment still ends only at a keyframe, so the camera's keyframe interval bounds it from below.</summary>
    [Range(1, 10)]
    public int SegmentSeconds { get; set; } = 1;

    /// <summary>Segments listed in the rolling playlist; older ones are deleted.</summary>
    [Range(2, 60)]
    public int PlaylistLength { get; set; } = 6;

    /// <summary>
    /// How far back a running relay keeps its segments, for viewers with the recorded-video right to rewind into; nothing
    /// older is kept. At least the live window (<see cref="SegmentSeconds"/> × <see cref="PlaylistLength"/>), at most 2 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "02:00:00")]
    public TimeSpan RewindWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The live window: what a viewer without the recorded-video right is served.</summary>
    public TimeSpan LiveWindow => TimeSpan.FromSeconds(SegmentSeconds * PlaylistLength);

    /// <summary>Segments ffmpeg keeps listed: enough to cover <see cref="RewindWindow"/>.</summary>
    public int WindowSegments => Math.Max(PlaylistLength, (int)Math.Ceiling(RewindWindow.TotalSeconds / SegmentSeconds));

    /// <summary>How long a relay keeps running after its last viewer leaves.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan LingerPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a first playlist request waits for a cold stream's first segment before it is answered 503 with Retry-After;
    /// a cold start takes one keyframe interval plus connecting, so this must leave room for a camera with a long GOP.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")]
    public TimeSpan FirstRequestWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Socket I/O timeout on every RTSP input: a camera silent this long counts as dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan InputTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Delay before the first restart of a relay whose ffmpeg exited; it doubles with each consecutive failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RestartBackoffInitial { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RestartBackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failed starts after which the camera is reported offline.</summary>
    [Range(1, 1000)]
    public int FailuresBeforeOffline { get; set; } = 3;

    /// <summary>
    /// How long after its relay reported it offline a camera is tried again (one snapshot, with no viewer); the wait doubles
    /// after each failed try, up to <see cref="OfflineRecheckMax"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OfflineRecheck { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan OfflineRecheckMax { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many offline cameras' recheck snapshots (an ffmpeg each) a node runs at once. A district's power cut takes hundreds
    /// of cameras offline together; each is first tried with a bare connection, and only those that take one wait here.
    /// </summary>
    [Range(1, 64)]
    public int OfflineRecheckConcurrency { get; set; } = 2;

    /// <summary>
    /// The live path's GOP cache per rendition: the init segment and the fragments since the newest keyframe, so a new viewer
    /// starts from memory. A group of pictures larger than this is not cached (viewers then start at the next keyframe).
    /// </summary>
    [Range(64 * 1024, 256L * 1024 * 1024)]
    public long LiveGopCacheBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>What one live viewer may have queued; a viewer that falls this far behind skips to the next keyframe.</summary>
    [Range(64 * 1024, 256L * 1024 * 1024)]
    public long LiveViewerQueueBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// A relay that must encode (a privacy mask, a codec browsers cannot play, generated pictures) costs up to a core at
    /// 1080p where a copy costs under 1 % of one. A new one starts only while this node's CPUs were busy no more than this
    /// share of the time over the last few seconds (<see cref="CpuLoad"/>), with what one more encode costs here (the mean
    /// of the running encodes) added; otherwise it is refused (503, Retry-After) until
    /// the load falls, so that the streams already running and the node's access decisions keep their CPU. Copies are never
    /// refused for load, nor is a mask added to a running stream. 1 turns the check off.
    /// </summary>
    [Range(0.05, 1.0)]
    public double NewEncodeCpuLimit { get; set; } = 0.85;

    /// <summary>
    /// Written into every ffmpeg command line this node starts, so that a restarted node finds and ends the relays a crashed
    /// run left behind without touching another node's. The default, machine name plus a hash of the working directory,
    /// keeps two nodes on one machine apart.
    /// </summary>
    [RegularExpression(@"^[A-Za-z0-9._-]{1,80}$", ErrorMessage = "Media:NodeTag may hold only letters, digits, '.', '_' and '-' (at most 80).")]
    public string NodeTag
    {
        get => field ?? DefaultNodeTag(WorkingDirectory);
        set;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RestartBackoffInitial > RestartBackoffMax)
            yield return new ValidationResult("Media:RestartBackoffInitial must not exceed Media:RestartBackoffMax.",
                [nameof(RestartBackoffInitial), nameof(RestartBackoffMax)]);
        if (OfflineRecheck > OfflineRecheckMax)
            yield return new ValidationResult("Media:OfflineRecheck must not exceed Media:OfflineRecheckMax.", [nameof(OfflineRecheck), nameof(OfflineRecheckMax)]);
        if (LiveViewerQueueBytes < LiveGopCacheBytes)
            yield return new ValidationResult("Media:LiveViewerQueueBytes must be at least Media:LiveGopCacheBytes: a new viewer's queue starts with the whole cached group of pictures.",
                [nameof(LiveViewerQueueBytes), nameof(LiveGopCacheBytes)]);
        if (RewindWindow < LiveWindow)
            yield return new ValidationResult($"Media:RewindWindow ({RewindWindow}) must be at least the live window, Media:SegmentSeconds × " +
                $"Media:PlaylistLength = {LiveWindow}.", [nameof(RewindWindow), nameof(PlaylistLength)]);
        if (SnapshotFontPath?.IndexOfAny(['\'', '"', '\\']) >= 0)
            yield return new ValidationResult("Media:SnapshotFontPath must not contain quotes or backslashes (it is quoted into an ffmpeg filter).",
                [nameof(SnapshotFontPath)]);
        else if (!string.IsNullOrEmpty(SnapshotFontPath) && !File.Exists(SnapshotFontPath))
            yield return new ValidationResult($"Media:SnapshotFontPath: no font at '{SnapshotFontPath}'. Snapshots carry their evidence burnt in " +
                "and need a TrueType font: install fonts-dejavu-core, or point this key at another .ttf.", [nameof(SnapshotFontPath)]);
    }

    private static string DefaultNodeTag(string workingDirectory)
    {
        var machine = UnsafeTagCharacters().Replace(Environment.MachineName, "_");
        var folder = string.IsNullOrEmpty(workingDirectory) ? "" : Path.GetFullPath(workingDirectory);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folder)))[..8];
        return $"{machine[..Math.Min(machine.Length, 60)]}-{hash}";
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex UnsafeTagCharacters();
}
