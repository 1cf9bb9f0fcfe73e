using System.Text.RegularExpressions;

namespace SafetyNet.Grains.Media;

/// <summary>Where a camera's relay files live, what they are called, and which of them may be served.</summary>
public static partial class CameraFiles
{
    public const string Playlist = "index.m3u8";
    public const string LatestFrame = "latest.jpg";
    internal const string SegmentTemplate = "seg-%d.ts";

    /// <summary>One-shot snapshots are written here; '~' cannot occur in a camera id, so no camera folder collides with it.</summary>
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

    /// <summary>Only finished files ffmpeg lists or keeps; its temporary files (*.tmp) are never served.</summary>
    public static bool IsServable(string fileName) =>
        fileName == Playlist || fileName == LatestFrame || SegmentName().IsMatch(fileName);

    /// <summary>Deletes what a relay writes, and nothing else, so a misconfigured working directory cannot cost unrelated files.</summary>
    internal static void Clear(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith(Playlist, StringComparison.Ordinal) || name.StartsWith(LatestFrame, StringComparison.Ordinal) ||
                name.StartsWith("seg-", StringComparison.Ordinal))
                TryDelete(file);
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
}
