using System.Diagnostics;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media.Live;

namespace SafetyNet.Tests.Media.Live;

/// <summary>The box reader on what ffmpeg really writes for the live path: 3 s of 15 fps H.264 with a keyframe each second, as fMP4 on a pipe.</summary>
[Trait("Category", "Slow")]
public sealed class FragmentedMp4ReaderTests
{
    [Fact]
    public async Task Ffmpeg_fragments_split_into_an_init_segment_with_its_codec_and_one_fragment_a_frame_keyframes_marked()
    {
        var chunks = await ReadFfmpegAsync("-f lavfi -i testsrc2=size=320x240:rate=15 -t 3 -c:v libx264 -preset ultrafast -tune zerolatency -pix_fmt yuv420p " +
                                           "-force_key_frames expr:gte(t,n_forced*1)");

        var init = chunks[0];
        Assert.True(init.IsInit);
        Assert.Matches("^avc1\\.42c0[0-9a-f]{2}$", init.Codec); // ultrafast encodes constrained baseline
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(init.Bytes.Span[4..8]));
        var fragments = chunks.Skip(1).ToList();
        Assert.All(fragments, f => Assert.False(f.IsInit));
        Assert.Equal(45, fragments.Count);
        Assert.Equal([0, 15, 30], fragments.Select((f, i) => (f, i)).Where(x => x.f.IsKeyframe).Select(x => x.i));
        Assert.All(fragments, f => Assert.Equal("moof", System.Text.Encoding.ASCII.GetString(f.Bytes.Span[4..8])));
    }

    [Fact]
    public async Task A_stream_that_is_not_mp4_is_refused_rather_than_buffered()
    {
        var reader = new FragmentedMp4Reader(new MemoryStream("#EXTM3U\n#EXT-X-VERSION:3\n"u8.ToArray()));

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public void A_fragment_without_first_sample_flags_takes_the_track_fragment_default()
    {
        // tfhd (flags 0x20: default-sample-flags present) marking a sync sample, and a trun without flags of its own.
        byte[] tfhd = [.. Box("tfhd", [0, 0, 0, 0x20, 0, 0, 0, 1, 0x02, 0, 0, 0])];
        byte[] trun = [.. Box("trun", [0, 0, 0, 0, 0, 0, 0, 1])];
        byte[] moofBody = Box("traf", [.. tfhd, .. trun]);

        Assert.True(Mp4Track.StartsWithKeyframe(moofBody, trexDefaultFlags: 0x0101_0000));
        Assert.False(Mp4Track.StartsWithKeyframe(Box("traf", [.. trun]), trexDefaultFlags: 0x0101_0000));
    }

    private static byte[] Box(string type, byte[] body) =>
        [.. BitConverter.GetBytes(8 + body.Length).Reverse(), .. System.Text.Encoding.ASCII.GetBytes(type), .. body];

    private static async Task<List<LiveChunk>> ReadFfmpegAsync(string inputAndCodec)
    {
        var start = new ProcessStartInfo("ffmpeg",
            $"-hide_banner -loglevel error {inputAndCodec} -f mp4 -movflags empty_moov+default_base_moof+frag_every_frame -flush_packets 1 pipe:1")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var ffmpeg = Process.Start(start)!;
        var errors = ffmpeg.StandardError.ReadToEndAsync();
        var reader = new FragmentedMp4Reader(ffmpeg.StandardOutput.BaseStream);
        var chunks = new List<LiveChunk>();
        while (await reader.ReadAsync(CancellationToken.None) is { } chunk) chunks.Add(chunk);
        await ffmpeg.WaitForExitAsync();
        Assert.True(ffmpeg.ExitCode == 0, await errors);
        return chunks;
    }
}
