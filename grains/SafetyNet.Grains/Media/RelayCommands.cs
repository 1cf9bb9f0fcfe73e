using System.Globalization;
using FFMpegCore;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Media.Uplink;

namespace SafetyNet.Grains.Media;

/// <summary>The ffmpeg command lines of a relay and of a one-shot snapshot, built with FFMpegCore's argument API (its quoting).</summary>
internal sealed class RelayCommands(MediaOptions options)
{
    private const string JpegQuality = "-c:v mjpeg -q:v 5";

    /// <summary>
    /// Pulls the camera once and writes its outputs: a rolling HLS playlist of copied H.264 in its folder, and the same
    /// pictures as fragmented MP4 (one fragment a frame) to <paramref name="liveUrl"/>, the node's socket for the live path.
    /// A masked camera (<paramref name="maskImage"/>, a file in the folder) adds the masked rendition from the same pull,
    /// encoded, as its own HLS playlist and to <paramref name="maskedLiveUrl"/>. Only masked cameras, generated pictures and
    /// cameras whose codec browsers cannot play (<paramref name="encode"/>: H.265, say) pay for an encode; a plain relay
    /// decodes nothing (a snapshot decodes the live path's cached keyframe on demand instead).
    /// </summary>
    public FfmpegCommand Relay(string cameraId, CameraSource source, string folder, string liveUrl, string? maskImage = null, string? maskedLiveUrl = null,
        bool encode = false)
    {
        var masked = maskImage is not null;
        if (masked != (maskedLiveUrl is not null)) throw new ArgumentException("A masked relay needs both the mask picture and the masked live socket.");
        var input = InputFor(source, realtime: true, encode);
        var seconds = options.SegmentSeconds.ToString(CultureInfo.InvariantCulture);
        var tag = TaggedProcesses.MetadataArgument(TaggedProcesses.RelayTag(options.NodeTag, cameraId));

        var inputs = FFMpegArguments.FromFileInput(input.Source, verifyExists: false, o => o.WithCustomArgument(input.Options));
        if (masked) inputs = inputs.AddFileInput(maskImage!, verifyExists: false);
        var arguments = inputs
            .OutputToMany(outputs =>
            {
                var hls = Hls(CameraFiles.SegmentTemplate, seconds);
                if (input.MustEncode || encode)
                    outputs.OutputToFile(Tee([(hls, CameraFiles.Playlist), (FragmentedMp4, liveUrl)]), overwrite: true,
                        o => o.WithCustomArgument($"-map 0:v:0 {H264(seconds)} {tag} -f tee"));
                else
                    outputs
                        .OutputToFile(CameraFiles.Playlist, overwrite: true, o => o.WithCustomArgument($"-map 0:v:0 -c:v copy {CommandLine(hls)} {tag}"))
                        .OutputToFile(liveUrl, overwrite: false, o => o.WithCustomArgument($"-map 0:v:0 -c:v copy {CommandLine(FragmentedMp4)}"));
                if (masked)
                    outputs.OutputToFile(Tee([(Hls(CameraFiles.MaskedSegmentTemplate, seconds), CameraFiles.MaskedPlaylist), (FragmentedMp4, maskedLiveUrl!)]),
                        overwrite: true, o => o.WithCustomArgument(
                            $"-filter_complex \"{MaskFilter.Graph("0:v:0", "1:v:0", "masked")}\" -map [masked] {H264(seconds)} -f tee"));
            })
            .Arguments;
        return new FfmpegCommand(arguments, folder);
    }

    /// <summary>
    /// How a generated picture (nothing to copy), a codec browsers cannot play and the masked rendition are encoded: like a
    /// camera would, one keyframe per segment, and each frame at the time the camera gave it. The tiny probe leaves the frame
    /// rate unknown, and ffmpeg's default would then duplicate frames up to the RTP clock's 90,000 a second: a Motion JPEG
    /// camera's relay wrote one segment of millions of copies and never a playlist. The parameter sets go in the encoder's
    /// header (global_header), where the live path's init segment needs them; the HLS muxer repeats them before every keyframe.
    /// The level is stated: with no frame rate, x264 takes one frame per clock tick and signals level 6.2, which hardware
    /// decoders and Windows' Media Foundation (up to 5.1) refuse, so such a console's player would be told the stream is
    /// unsupported. 5.1 covers pictures up to 4096×2304 at the rates CCTV cameras send.
    /// </summary>
    private static string H264(string seconds) =>
        $"-c:v libx264 -preset ultrafast -tune zerolatency -pix_fmt yuv420p -fps_mode passthrough -force_key_frames expr:gte(t,n_forced*{seconds}) " +
        "-level:v 5.1 -flags +global_header";

    /// <summary>
    /// One encode written to several outputs (ffmpeg's tee muxer): a rendition's HLS playlist and its live socket used to
    /// encode the same pictures twice. A failed output ends the run, as a failed output of its own would.
    /// </summary>
    private static string Tee(IEnumerable<(IReadOnlyList<(string Name, string Value)> Options, string Target)> outputs) =>
        string.Join("|", outputs.Select(output =>
            $"[{string.Join(":", output.Options.Select(option => $"{option.Name}={option.Value}").Append("onfail=abort"))}]{output.Target}"));

    /// <summary>Output options as ffmpeg's command line takes them.</summary>
    private static string CommandLine(IReadOnlyList<(string Name, string Value)> outputOptions) =>
        string.Join(" ", outputOptions.Select(option => $"-{option.Name} {option.Value}"));

    /// <summary>
    /// Fragmented MP4 for Media Source Extensions: an empty moov (the init segment) first, then one moof+mdat per frame,
    /// each flushed at once, so a frame reaches viewers as soon as ffmpeg has it.
    /// </summary>
    private static readonly IReadOnlyList<(string Name, string Value)> FragmentedMp4 =
        [("f", "mp4"), ("movflags", "empty_moov+default_base_moof+frag_every_frame"), ("flush_packets", "1")];

    /// <summary>
    /// The playlist lists the whole rewind window, each segment stamped with its wall-clock start (program_date_time) so a
    /// rewind can seek to a time; older segments are deleted. Live viewers get it cut to the live window (<see cref="HlsPlaylist.Newest"/>).
    /// Epoch numbering keeps media sequence numbers rising across restarts, so players reloading the playlist never see them go back.
    /// </summary>
    private IReadOnlyList<(string Name, string Value)> Hls(string segmentTemplate, string seconds) =>
    [
        ("f", "hls"), ("hls_time", seconds), ("hls_list_size", options.WindowSegments.ToString(CultureInfo.InvariantCulture)),
        ("hls_flags", "delete_segments+temp_file+independent_segments+omit_endlist+discont_start+program_date_time"),
        ("hls_start_number_source", "epoch"), ("hls_segment_filename", segmentTemplate),
    ];

    /// <summary>
    /// FFMpegCore 6.0.0 has no SnapshotAsync and its FFMpeg.Snapshot rejects RTSP URLs, so the grab is written out here: the
    /// first keyframe, with the RTSP transport and socket timeout a camera needs.
    /// </summary>
    public FfmpegCommand Snapshot(string cameraId, CameraSource source, string outputFile)
    {
        var input = InputFor(source, realtime: false, encode: false);
        var arguments = FFMpegArguments
            .FromFileInput(input.Source, verifyExists: false, o => o.WithCustomArgument(input.Options))
            .OutputToFile(outputFile, overwrite: true, o => o.WithCustomArgument(
                $"-map 0:v:0 -frames:v 1 {JpegQuality} -f image2 {TaggedProcesses.MetadataArgument(TaggedProcesses.SnapshotTag(options.NodeTag, cameraId))}"))
            .Arguments;
        return new FfmpegCommand(arguments, Path.GetDirectoryName(outputFile)!);
    }

    /// <summary>The first picture of a fragmented MP4 file (an init segment and a keyframe fragment from the live path) as a JPEG.</summary>
    public FfmpegCommand FrameOf(string cameraId, string fragmentsFile, string outputFile)
    {
        var arguments = FFMpegArguments
            .FromFileInput(Path.GetFileName(fragmentsFile), verifyExists: false, o => o.WithCustomArgument("-hide_banner -nostats -loglevel error -f mp4"))
            .OutputToFile(Path.GetFileName(outputFile), overwrite: true, o => o.WithCustomArgument(
                $"-map 0:v:0 -frames:v 1 {JpegQuality} -f image2 {TaggedProcesses.MetadataArgument(TaggedProcesses.SnapshotTag(options.NodeTag, cameraId))}"))
            .Arguments;
        return new FfmpegCommand(arguments, Path.GetDirectoryName(outputFile)!);
    }

    /// <summary>
    /// Burns the caption (read from <paramref name="captionFile"/>, never expanded, so no text a caller chose can act as a
    /// drawtext directive) into the top-left corner of a JPEG, on a dark box that keeps it legible on any picture. Both files
    /// lie in the command's folder and are named by the node (GUIDs), so only the font path needs quoting.
    /// </summary>
    public FfmpegCommand Stamp(string inputFile, string captionFile, string outputFile, string? maskImage = null)
    {
        var drawtext = $"drawtext=fontfile='{options.SnapshotFontPath}':textfile='{Path.GetFileName(captionFile)}':expansion=none:" +
                       "fontsize=h/18:line_spacing=4:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=6:x=8:y=8";
        // A masked snapshot is masked before the caption is drawn, so the mask never hides the evidence.
        var filter = maskImage is null
            ? $"-vf \"{drawtext}\""
            : $"-filter_complex \"{MaskFilter.Graph("0:v:0", "1:v:0", "masked")};[masked]{drawtext}[stamped]\" -map [stamped]";
        var inputs = FFMpegArguments.FromFileInput(Path.GetFileName(inputFile), verifyExists: false, o => o.WithCustomArgument("-hide_banner -nostats -loglevel error"));
        if (maskImage is not null) inputs = inputs.AddFileInput(Path.GetFileName(maskImage), verifyExists: false);
        var arguments = inputs
            .OutputToFile(Path.GetFileName(outputFile), overwrite: true, o => o.WithCustomArgument($"{filter} -frames:v 1 {JpegQuality} -f image2"))
            .Arguments;
        return new FfmpegCommand(arguments, Path.GetDirectoryName(outputFile)!);
    }

    /// <summary>
    /// Joins copied HLS segments (listed in <paramref name="listFile"/>, beside them) into one MP4 without re-encoding: the
    /// evidence is the very bytes the relay served, rewrapped. faststart puts the index first so the file plays while it loads.
    /// </summary>
    public static FfmpegCommand Remux(string listFile, string outputFile)
    {
        var arguments = FFMpegArguments
            .FromFileInput(Path.GetFileName(listFile), verifyExists: false, o => o.WithCustomArgument("-hide_banner -nostats -loglevel error -f concat -safe 0"))
            .OutputToFile(outputFile, overwrite: true, o => o.WithCustomArgument("-map 0:v:0 -c copy -movflags +faststart -f mp4"))
            .Arguments;
        return new FfmpegCommand(arguments, Path.GetDirectoryName(listFile)!);
    }

    /// <summary>The arguments are one string that .NET splits by Windows quoting rules; a quote or backslash would end the URL early.</summary>
    public static void Validate(string streamUrl)
    {
        if (string.IsNullOrWhiteSpace(streamUrl) || streamUrl.IndexOfAny(['"', '\\']) >= 0 || streamUrl.Any(char.IsControl))
            // The URL may hold credentials, so the message does not repeat it.
            throw new ArgumentException("Not a usable stream URL: it must be non-empty, without quotes, backslashes or control characters.",
                nameof(streamUrl));
    }

    private Input InputFor(CameraSource source, bool realtime, bool encode)
    {
        var streamUrl = source.Url;
        Validate(streamUrl);
        const string Quiet = "-hide_banner -nostats -loglevel error";
        // A camera is reached through its uplink, in plain RTSP or HTTP over loopback TCP: nothing a camera serves can make
        // ffmpeg open a file, other local input, or a connection of its own choosing over another protocol.
        const string NetworkOnly = "-protocol_whitelist rtsp,rtp,tcp,http";
        if (StreamUrls.IsGenerated(streamUrl))
            return new Input(streamUrl[StreamUrls.LavfiPrefix.Length..], $"{Quiet} {(realtime ? "-re " : "")}-f lavfi", MustEncode: true);

        var timeoutMicroseconds = ((long)options.InputTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
        if (streamUrl.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase))
            // -timeout is the RTSP demuxer's socket I/O timeout in microseconds (ffmpeg 5.1). A tiny probe starts the copy as
            // soon as the SDP is read instead of after seconds of analysis (measured: ~1.5 s to the first segment, not ~5 s);
            // the copy needs no more. (-threads 1 saved 5 MB but cost ~0.7 s of start-up.)
            return new Input(streamUrl,
                $"{Quiet} {NetworkOnly} -rtsp_transport tcp -timeout {timeoutMicroseconds} -analyzeduration 0 -probesize 32", MustEncode: false);

        // Any other ffmpeg input (HTTP): the protocol-level read/write timeout stands in for the RTSP socket timeout. The
        // node checked the URL's host, not where the camera sends ffmpeg next: so no redirect is followed, and only demuxers
        // of a live camera stream are allowed, none that opens addresses named in what the camera serves (an HLS playlist's
        // segments, an SDP file's RTP ports).
        // An HTTP camera whose video needs an encode is most likely Motion JPEG, which carries no timestamps: ffmpeg would
        // number its frames at 25 a second whatever the camera sends, and the recording's minutes would not be the clock's.
        // Each frame is stamped when it arrives instead, which also holds for a live MPEG-TS stream.
        var arrivalTime = encode ? " -use_wallclock_as_timestamps 1" : "";
        // Through its uplink an HTTP camera is reached at a loopback address, so ffmpeg names the camera's own host (ffmpeg adds the line's end).
        var host = source.HttpHost is { } name ? $" -headers \"Host: {name}\"" : "";
        return new Input(streamUrl, $"{Quiet} {NetworkOnly} -rw_timeout {timeoutMicroseconds} -max_redirects 0 -format_whitelist {CameraStreamFormats}{arrivalTime}{host}",
            MustEncode: false);
    }

    /// <summary>
    /// The demuxers an HTTP camera may be read with: Motion JPEG (multipart, or JPEGs back to back), MPEG-TS, FLV, and raw
    /// H.264 or H.265.
    /// </summary>
    private const string CameraStreamFormats = "mpjpeg,mjpeg,mpegts,flv,h264,hevc";

    private sealed record Input(string Source, string Options, bool MustEncode);
}
