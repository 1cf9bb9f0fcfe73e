using System.Text.RegularExpressions;
using SafetyNet.Contracts.Media;

namespace SafetyNet.Grains.Media;

/// <summary>Where a camera's relay files live, what they are called, and which of them may be served.</summary>
public static partial class CameraFiles
{
    public const string Playlist = "index.m3u8";
    /// <summary>The name players ask for the whole rewind window by: the same file as <see cref="Playlist"/>, served uncut.</summary>
    public const string WindowPlaylist = "window.m3u8";
    internal const string SegmentTemplate = "seg-%d.ts";

    /// <summary>The masked rendition, beside the original in the same folder, so one relay's files are cleared together.</summary>
    internal const string MaskedPlaylist = "masked.m3u8";
    internal const string MaskedSegmentTemplate = "masked-seg-%d.ts";

    /// <summary>The camera's privacy masks as a picture for ffmpeg (see <see cref="MaskImage"/>); never served.</summary>
    internal const string MaskImageFile = "mask.pam";

    /// <summary>Snapshots are written here; '~' cannot occur in a camera id, so no camera folder collides with it.</summary>
    internal const string ScratchFolder = "~snapshots";

    /// <summary>Segments copied out of a live window while a clip is cut from them; emptied when the cut ends and at start-up.</summary>
    internal const string ClipScratchFolder = "~clips";

    /// <summary>The import's id rule, minus ids made only of dots, which would name the working directory or its parent.</summary>
    public static bool IsValidCameraId(string? cameraId) =>
        cameraId is not null && CameraId().IsMatch(cameraId) && cameraId.Any(c => c != '.');

    public static string FolderFor(string workingDirectory, string cameraId) =>
        IsValidCameraId(cameraId)
            ? Path.Combine(Path.GetFullPath(workingDirectory), cameraId)
            : throw new ArgumentException($"'{cameraId}' is not a camera id: 1-64 letters, digits, '.', '_' or '-'.", nameof(cameraId));

    /// <summary>
    /// The relay's file behind a name a player asks for, in the rendition its lease may fetch, or null. Only finished files
    /// ffmpeg lists or keeps; its temporary files (*.tmp) are never served. A masked lease's playlist is the masked one, and
    /// it lists only masked segments, so no name a masked lease can ask for reaches an original picture.
    /// </summary>
    public static string? ServedName(string fileName, MediaRendition rendition) => rendition switch
    {
        MediaRendition.Original when fileName == Playlist || SegmentName().IsMatch(fileName) => fileName,
        MediaRendition.Original when fileName == WindowPlaylist => Playlist,
        MediaRendition.Masked when fileName is Playlist or WindowPlaylist => MaskedPlaylist,
        MediaRendition.Masked when MaskedSegmentName().IsMatch(fileName) => fileName,
        _ => null,
    };

    /// <summary>Deletes what a relay writes, and nothing else, so a misconfigured working directory cannot cost unrelated files.</summary>
    internal static void Clear(string folder) => DeleteWhere(folder, file => IsRelayFile(Path.GetFileName(file)));

    /// <summary>A file a relay writes (its playlists, segments, mask picture, and ffmpeg's temporary copies of them).</summary>
    internal static bool IsRelayFile(string name) =>
        name.StartsWith(Playlist, StringComparison.Ordinal) || IsSegment(name) || name.StartsWith("mask", StringComparison.Ordinal);

    /// <summary>A file a snapshot leaves in the scratch folder: the grab, its caption and mask, the live path's fragments it decoded.</summary>
    internal static bool IsScratchFile(string name) =>
        name.EndsWith(".jpg", StringComparison.Ordinal) || name.EndsWith(".txt", StringComparison.Ordinal) ||
        name.EndsWith(".pam", StringComparison.Ordinal) || name.EndsWith(".mp4", StringComparison.Ordinal);

    public static bool IsPlaylistName(string name) => name is Playlist or WindowPlaylist;

    /// <summary>A finished segment of either rendition, by its exact name (never a temporary file or a path).</summary>
    internal static bool IsSegmentName(string name) => SegmentName().IsMatch(name) || MaskedSegmentName().IsMatch(name);

    /// <summary>A segment of either rendition (or ffmpeg's temporary copy of one).</summary>
    internal static bool IsSegment(string name) =>
        name.StartsWith("seg-", StringComparison.Ordinal) || name.StartsWith("masked-seg-", StringComparison.Ordinal);

    internal static int DeleteWhere(string folder, Func<string, bool> delete)
    {
        if (!Directory.Exists(folder)) return 0;
        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(folder).Where(delete))
        {
            TryDelete(file);
            deleted++;
        }
        return deleted;
    }

    /// <summary>The segment names a playlist lists (none when it cannot be read: then every segment past the live window is stale).</summary>
    internal static HashSet<string> ListedSegments(string playlist)
    {
        try
        {
            return File.ReadLines(playlist).Where(line => line.Length > 0 && line[0] != '#').Select(line => line.Trim()).ToHashSet();
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>Clears the folder and removes it once nothing else is in it.</summary>
    internal static void Remove(string folder)
    {
        Clear(folder);
        try
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
        catch (IOException)
        {
            // A new relay for the camera has just started writing here.
        }
    }

    internal static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // Already gone, or ffmpeg is replacing it this instant: either way it is not ours to keep.
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex CameraId();

    [GeneratedRegex(@"^seg-[0-9]{1,20}\.ts$")]
    private static partial Regex SegmentName();

    [GeneratedRegex(@"^masked-seg-[0-9]{1,20}\.ts$")]
    private static partial Regex MaskedSegmentName();
}
