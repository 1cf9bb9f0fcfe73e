using System.ComponentModel.DataAnnotations;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media;

namespace SafetyNet.Tests.Rewind;

/// <summary>The rewind window's playlist read back, cut to the live window, and its time span: pure, on playlists as ffmpeg writes them.</summary>
public sealed class HlsPlaylistTests
{
    /// <summary>As ffmpeg 5.1 writes it with program_date_time, discont_start and epoch numbering (five 1-s segments; the fourth starts after a restart).</summary>
    private const string Window = """
        #EXTM3U
        #EXT-X-VERSION:6
        #EXT-X-TARGETDURATION:1
        #EXT-X-MEDIA-SEQUENCE:1764692000
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-DISCONTINUITY
        #EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:00.000+0000
        #EXTINF:1.000000,
        seg-1764692000.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:01.000+0000
        #EXTINF:1.000000,
        seg-1764692001.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:02.000+0000
        #EXTINF:1.000000,
        seg-1764692002.ts
        #EXT-X-DISCONTINUITY
        #EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:05.500+0000
        #EXTINF:1.000000,
        seg-1764692003.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:06.500+0000
        #EXTINF:0.960000,
        seg-1764692004.ts

        """;

    private static DateTimeOffset At(string time) => DateTimeOffset.Parse($"2026-12-02T{time}+00:00");

    [Fact]
    public void Every_segment_is_read_with_its_length_and_wall_clock_start()
    {
        var playlist = HlsPlaylist.Parse(Window);

        Assert.Equal(["seg-1764692000.ts", "seg-1764692001.ts", "seg-1764692002.ts", "seg-1764692003.ts", "seg-1764692004.ts"], playlist.Segments.Select(s => s.Name));
        Assert.Equal(At("16:20:05.5"), playlist.Segments[3].StartsAt);
        Assert.Equal(0.96, playlist.Segments[4].Seconds, 3);
        Assert.Equal((At("16:20:00"), At("16:20:07.46")), playlist.Span);
    }

    [Fact]
    public void The_live_playlist_is_the_newest_segments_with_the_sequence_numbers_moved_on_by_what_was_cut()
    {
        var live = HlsPlaylist.Parse(Window).Newest(2);
        var text = live.Write(name => $"{name}?token=t");

        Assert.Equal(["seg-1764692003.ts", "seg-1764692004.ts"], live.Segments.Select(s => s.Name));
        Assert.Contains("#EXT-X-MEDIA-SEQUENCE:1764692003\n", text);
        // One discontinuity went with the cut segments; the one before the first kept segment stays with it.
        Assert.Contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n", text);
        Assert.Contains("#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:05.500+0000\n#EXTINF:1.000000,\nseg-1764692003.ts?token=t\n", text);
        Assert.DoesNotContain("seg-1764692002", text);
        Assert.StartsWith("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:1\n", text);
        Assert.Equal((At("16:20:05.5"), At("16:20:07.46")), live.Span);
    }

    [Fact]
    public void A_playlist_no_longer_than_the_live_window_is_served_as_written()
    {
        var playlist = HlsPlaylist.Parse(Window);
        Assert.Same(playlist, playlist.Newest(5));
        Assert.Equal(Window.ReplaceLineEndings("\n"), playlist.Newest(60).Write(name => name));
    }

    [Fact]
    public void A_clip_takes_the_newest_segments_up_to_its_length_and_at_least_one()
    {
        var playlist = HlsPlaylist.Parse(Window);
        Assert.Equal(["seg-1764692002.ts", "seg-1764692003.ts", "seg-1764692004.ts"], playlist.NewestSeconds(3).Select(s => s.Name));
        Assert.Equal(["seg-1764692004.ts"], playlist.NewestSeconds(0.5).Select(s => s.Name));
        Assert.Empty(HlsPlaylist.Parse("#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:3\n").NewestSeconds(30));
    }

    [Fact]
    public void Only_plain_segment_names_count_and_a_playlist_without_times_has_no_span()
    {
        var playlist = HlsPlaylist.Parse("#EXTM3U\n#EXTINF:1.0,\n../index.m3u8\n#EXTINF:1.0,\nseg-7.ts\n#EXTINF:1.0,\nhttp://x/seg-8.ts\n");
        Assert.Equal(["seg-7.ts"], playlist.Segments.Select(s => s.Name));
        Assert.Null(playlist.Span);
    }

    [Fact]
    public void The_window_playlist_name_reaches_the_same_file_as_the_live_one_in_each_rendition()
    {
        Assert.Equal(CameraFiles.Playlist, CameraFiles.ServedName(CameraFiles.WindowPlaylist, MediaRendition.Original));
        Assert.Equal("masked.m3u8", CameraFiles.ServedName(CameraFiles.WindowPlaylist, MediaRendition.Masked));
    }

    [Theory]
    [InlineData(6, 1, 900)]
    [InlineData(6, 2, 450)]
    [InlineData(60, 1, 900)]
    public void The_relay_lists_enough_segments_to_cover_the_rewind_window(int playlistLength, int segmentSeconds, int expected)
    {
        var options = new MediaOptions { PlaylistLength = playlistLength, SegmentSeconds = segmentSeconds, RewindWindow = TimeSpan.FromMinutes(15) };
        Assert.Equal(expected, options.WindowSegments);
        Assert.Equal(playlistLength, new MediaOptions { PlaylistLength = playlistLength, SegmentSeconds = segmentSeconds, RewindWindow = options.LiveWindow }.WindowSegments);
    }

    [Theory]
    [InlineData("00:00:05", "at least the live window")]
    [InlineData("02:00:01", "RewindWindow")]
    public void A_rewind_window_shorter_than_the_live_window_or_longer_than_two_hours_stops_the_node(string window, string expected)
    {
        var options = new MediaOptions { WorkingDirectory = "/tmp/x", RewindWindow = TimeSpan.Parse(window) };
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage!.Contains(expected));
    }
}
