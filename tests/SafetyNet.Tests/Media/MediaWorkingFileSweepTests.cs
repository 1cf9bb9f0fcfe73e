using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media;

namespace SafetyNet.Tests.Media;

/// <summary>Relay working files never outlive their window (a running relay's the rewind window, else the live window): what no relay serves any more is swept.</summary>
[Collection(MediaCollection.Name)]
public sealed class MediaWorkingFileSweepTests
{
    [Fact]
    public async Task Files_past_the_live_window_that_no_relay_serves_are_swept_and_nothing_else()
    {
        await using var media = await RelayHostHarness.StartAsync();
        var now = DateTime.UtcNow;
        var old = now - media.Host.LiveWindow - TimeSpan.FromSeconds(1);
        var stopped = Directory.CreateDirectory(Path.Combine(media.Options.WorkingDirectory, "cam-stopped")).FullName;
        var scratch = Directory.CreateDirectory(Path.Combine(media.Options.WorkingDirectory, "~snapshots")).FullName;
        string File(string folder, string name, DateTime written)
        {
            var path = Path.Combine(folder, name);
            System.IO.File.WriteAllBytes(path, [1, 2, 3]);
            System.IO.File.SetLastWriteTimeUtc(path, written);
            return path;
        }
        var staleSegment = File(stopped, "seg-17.ts", old);
        var stalePlaylist = File(stopped, "masked.m3u8", old);
        var freshSegment = File(stopped, "seg-18.ts", now);
        var unrelated = File(stopped, "notes.txt", old);
        var staleGrab = File(scratch, "cam-1-abc.jpg", old);
        var staleFragments = File(scratch, "cam-1-abc.mp4", old);
        var freshGrab = File(scratch, "cam-1-def.jpg", now);

        Assert.Equal(4, media.Host.SweepStaleFiles(now));

        Assert.All([staleSegment, stalePlaylist, staleGrab, staleFragments], f => Assert.False(System.IO.File.Exists(f), f));
        Assert.All([freshSegment, unrelated, freshGrab], f => Assert.True(System.IO.File.Exists(f), f));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_running_relay_keeps_its_listed_segments_and_its_rewind_window_and_loses_unlisted_segments_past_the_window()
    {
        await using var media = await RelayHostHarness.StartAsync(o => o.RewindWindow = TimeSpan.FromSeconds(30));
        var playlist = await media.StartAndWaitAsync("cam-live", RelayHostHarness.Lavfi);
        var folder = Path.GetDirectoryName(playlist)!;
        string Orphan(string name, TimeSpan age)
        {
            var path = Path.Combine(folder, name);
            System.IO.File.WriteAllBytes(path, [1]);
            System.IO.File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
            return path;
        }
        var pastWindow = Orphan("seg-1.ts", media.Host.RewindWindow + TimeSpan.FromSeconds(1));
        // Older than the live window but inside the rewind window: a running relay's segments are judged by the rewind window.
        var insideWindow = Orphan("seg-2.ts", media.Host.LiveWindow + TimeSpan.FromSeconds(1));

        Assert.InRange(media.Host.SweepStaleFiles(DateTime.UtcNow), 1, int.MaxValue);

        Assert.False(System.IO.File.Exists(pastWindow));
        Assert.True(System.IO.File.Exists(insideWindow));
        Assert.NotNull(media.Host.ResolveFile("cam-live", CameraFiles.Playlist, MediaRendition.Original));
        var listed = System.IO.File.ReadLines(playlist).Where(l => l.Length > 0 && l[0] != '#').ToList();
        Assert.NotEmpty(listed);
        Assert.All(listed, s => Assert.True(System.IO.File.Exists(Path.Combine(folder, s)), s));
    }
}
