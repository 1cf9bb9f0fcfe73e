using SafetyNet.Grains.Media;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Tests.Rewind;

/// <summary>
/// A running relay's stamps after the wall clock steps: ffmpeg goes on from its own start, so the node moves the stamps of
/// what was recorded after the step, and keeps those from before. Pure, on playlists as ffmpeg writes them.
/// </summary>
public sealed class RecordingRestampTests
{
    /// <summary>Four 2-s segments of one run, as ffmpeg stamps them from its start.</summary>
    private const string Written = """
        #EXTM3U
        #EXT-X-VERSION:6
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:1764692000
        #EXT-X-DISCONTINUITY
        #EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:00.000+0000
        #EXTINF:2.000000,
        seg-1764692000.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:02.000+0000
        #EXTINF:2.000000,
        seg-1764692001.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:04.000+0000
        #EXTINF:2.000000,
        seg-1764692002.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:06.000+0000
        #EXTINF:2.000000,
        seg-1764692003.ts

        """;

    private static DateTimeOffset At(string time) => DateTimeOffset.Parse($"2026-12-02T{time}+00:00");

    private static ClockStep Step(double seconds, string lastLook) => new(TimeSpan.FromSeconds(seconds), At(lastLook), TimestampBefore: 1);

    [Fact]
    public void Without_a_step_the_playlist_is_served_as_written()
    {
        var written = HlsPlaylist.Parse(Written);
        Assert.Same(written, RecordingRestamp.None.Apply(written));
    }

    [Fact]
    public void After_a_forward_step_what_was_recorded_since_the_watchs_last_look_is_stamped_by_the_new_clock_in_the_times_and_the_tags()
    {
        var restamped = RecordingRestamp.None.Following(Step(11, "16:20:03.5")).Apply(HlsPlaylist.Parse(Written));

        Assert.Equal([At("16:20:00"), At("16:20:02"), At("16:20:15"), At("16:20:17")], restamped.Segments.Select(s => s.StartsAt!.Value));
        Assert.Equal((At("16:20:00"), At("16:20:19")), restamped.Span);
        var text = restamped.Write(name => name);
        Assert.Contains("#EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:02.000+0000\n#EXTINF:2.000000,\nseg-1764692001.ts\n", text);
        Assert.Contains("#EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:15.000Z\n#EXTINF:2.000000,\nseg-1764692002.ts\n", text);
        Assert.Single(text.Split('\n'), line => line.StartsWith("#EXT-X-PROGRAM-DATE-TIME:2026-12-02T16:20:17.000Z"));
        Assert.Equal(HlsPlaylist.Parse(text).Segments.Select(s => s.StartsAt), restamped.Segments.Select(s => s.StartsAt));
    }

    [Fact]
    public void After_a_backward_step_later_recordings_overlap_the_earlier_ones_as_the_clock_did()
    {
        var restamped = RecordingRestamp.None.Following(Step(-5, "16:20:05.9")).Apply(HlsPlaylist.Parse(Written));

        Assert.Equal([At("16:20:00"), At("16:20:02"), At("16:20:04"), At("16:20:01")], restamped.Segments.Select(s => s.StartsAt!.Value));
    }

    [Fact]
    public void Steps_add_up_and_each_pivot_is_in_the_runs_own_time()
    {
        // Forward 10 s after 16:20:01 on the clock; then, on the stepped clock, back 4 s after 16:20:15 (16:20:05 in the run's time).
        var restamp = RecordingRestamp.None.Following(Step(10, "16:20:01")).Following(Step(-4, "16:20:15"));

        Assert.Equal(TimeSpan.FromSeconds(6), restamp.Total);
        Assert.Equal(TimeSpan.Zero, restamp.ShiftAt(At("16:20:00.999")));
        Assert.Equal(TimeSpan.FromSeconds(10), restamp.ShiftAt(At("16:20:01")));
        Assert.Equal(TimeSpan.FromSeconds(10), restamp.ShiftAt(At("16:20:04.999")));
        Assert.Equal(TimeSpan.FromSeconds(6), restamp.ShiftAt(At("16:20:05")));
        Assert.Equal([At("16:20:00"), At("16:20:12"), At("16:20:14"), At("16:20:12")],
            restamp.Apply(HlsPlaylist.Parse(Written)).Segments.Select(s => s.StartsAt!.Value));
    }

    [Fact]
    public void A_playlist_without_program_date_times_is_left_as_it_is()
    {
        var written = HlsPlaylist.Parse(Written.Replace("#EXT-X-PROGRAM-DATE-TIME", "#EXT-X-OTHER"));
        Assert.Same(written, RecordingRestamp.None.Following(Step(11, "16:20:03")).Apply(written));
    }
}
