using System.Text;
using SafetyNet.Grains.Media.Uplink;

namespace SafetyNet.Tests.Media.Uplink;

public sealed class RtspReplyScannerTests
{
    private const string Describe =
        "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Base: rtsp://camera.example/stream/\r\nContent-Type: application/sdp\r\nContent-Length: {0}\r\n\r\n{1}";

    private static string DescribeReply(string sdp) => string.Format(Describe, Encoding.ASCII.GetByteCount(sdp), sdp);

    private static byte[] Interleaved(byte channel, byte[] payload) => [(byte)'$', channel, (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];

    private static string? ScanAll(params byte[][] chunks) => ScanAllFor(chunks)?.Reason;

    private static UplinkCut? ScanAllFor(params byte[][] chunks)
    {
        var scanner = new RtspReplyScanner();
        foreach (var chunk in chunks)
            if (scanner.Scan(chunk) is { } refusal) return refusal;
        return null;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    [Fact]
    public void A_cameras_handshake_and_stream_pass()
    {
        var sdp = "v=0\r\no=- 0 0 IN IP4 10.0.0.5\r\ns=RTSP/1.0 302 is only text here\r\nm=video 0 RTP/AVP 96\r\na=control:rtsp://10.0.0.5/stream/track1\r\n";
        Assert.Null(ScanAll(
            Ascii("RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n"),
            Ascii(DescribeReply(sdp)),
            Ascii("RTSP/1.0 200 OK\r\nCSeq: 3\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\nSession: 12345678;timeout=60\r\n\r\n"),
            Ascii("RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession: 12345678\r\nRTP-Info: url=rtsp://10.0.0.5/stream/track1;seq=1\r\n\r\n"),
            Interleaved(0, Ascii("RTSP/1.0 302 Found\r\nLocation: rtsp://169.254.169.254/\r\n\r\n")),
            Interleaved(1, new byte[1400]),
            Ascii("RTSP/1.0 200 OK\r\nCSeq: 5\r\nSession: 12345678\r\n\r\n"),
            Interleaved(0, new byte[65535])));
    }

    [Theory]
    [InlineData("RTSP/1.0 302 Moved Temporarily\r\nCSeq: 2\r\nLocation: rtsp://127.0.0.1:8554/x\r\n\r\n")]
    [InlineData("RTSP/1.0 301 Moved Permanently\r\nCSeq: 2\r\n\r\n")]
    [InlineData("RTSP/2.0 307 Temporary Redirect\r\n\r\n")]
    [InlineData("RTSP/1.0 399 Whatever\r\n\r\n")]
    [InlineData("RTSP/1.0 0302 Found\r\n\r\n")]
    [InlineData("RTSP/1.0 +302 Found\r\n\r\n")]
    [InlineData("RTSP/1.0\t302\tFound\n\n")]
    [InlineData("RTSP/1.0   302x Found\r\n\r\n")]
    [InlineData("RTSP/1.0 4294967598 Found\r\n\r\n")]
    [InlineData("RTSP/1.0 200 OK\r\nlocation: rtsp://10.0.0.9/\r\n\r\n")]
    [InlineData("RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\nRTSP/1.0 302 Found\r\nLocation: rtsp://10.0.0.9/\r\n\r\n")]
    public void A_redirect_however_it_is_written_is_refused(string reply)
    {
        var refusal = ScanAllFor(Ascii(reply));
        Assert.NotNull(refusal);
        Assert.Equal("redirect", refusal.Kind);
        Assert.Contains("redirect", refusal.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_redirect_split_byte_by_byte_is_refused_before_the_last_byte_of_the_blank_line_ffmpeg_acts_on()
    {
        var reply = Ascii("RTSP/1.0 302 Found\r\nCSeq: 2\r\nLocation: rtsp://10.0.0.9/cam\r\n\r\n");
        var scanner = new RtspReplyScanner();
        var (refusedAt, refusal) = Enumerable.Range(0, reply.Length).Select(i => (i, scanner.Scan(reply.AsSpan(i, 1)))).First(r => r.Item2 is not null);
        Assert.Equal(reply.Length - 1, refusedAt);
        Assert.Contains("to rtsp://10.0.0.9/cam (RTSP status 302)", refusal!.Reason);
    }

    [Fact]
    public void A_packet_that_starts_a_header_line_is_skipped_as_ffmpeg_skips_it()
    {
        // ffmpeg reads a '$' at the start of any line as an interleaved packet, even inside a reply's header, and goes on
        // with the header after it: a Location after the packet is still the reply's.
        byte[] reply = [.. Ascii("RTSP/1.0 200 OK\r\nCSeq: 2\r\n"), .. Interleaved(0, Ascii("\r\n\r\n")), .. Ascii("Location: rtsp://10.0.0.9/\r\n\r\n")];
        Assert.NotNull(ScanAll(reply));
    }

    [Fact]
    public void A_body_is_skipped_by_its_length_and_the_reply_after_it_is_read()
    {
        var body = "RTSP/1.0 200 OK\r\n\r\n";
        var replies = $"RTSP/1.0 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}RTSP/1.0 305 Use Proxy\r\n\r\n";
        Assert.NotNull(ScanAll(Ascii(replies)));
        Assert.Null(ScanAll(Ascii($"RTSP/1.0 200 OK\r\nContent-Length: {body.Length + 19}\r\n\r\n{body}RTSP/1.0 305 Use Proxy\r\n\r\n")));
    }

    [Theory]
    [InlineData("Content-Length: 1048577")]
    [InlineData("Content-Length: 4294967396")]
    [InlineData("content-length: -99999999999")]
    public void A_body_length_the_node_cannot_read_as_ffmpeg_does_is_refused(string header) =>
        Assert.NotNull(ScanAll(Ascii($"RTSP/1.0 200 OK\r\n{header}\r\n\r\n")));

    [Fact]
    public void A_negative_length_means_no_body_as_in_ffmpeg() =>
        Assert.NotNull(ScanAll(Ascii("RTSP/1.0 200 OK\r\nContent-Length: -5\r\n\r\nRTSP/1.0 302 Found\r\n\r\n")));

    [Fact]
    public void A_header_line_longer_than_ffmpeg_keeps_is_refused()
    {
        Assert.Null(ScanAll(Ascii($"RTSP/1.0 200 OK\r\nX-Pad: {new string('a', RtspReplyScanner.MaxLineLength - 7)}\r\n\r\n")));
        Assert.NotNull(ScanAll(Ascii($"RTSP/1.0 200 OK\r\nX-Pad: {new string('a', RtspReplyScanner.MaxLineLength - 6)}\r\n\r\n")));
    }

    [Fact]
    public void A_request_from_the_server_is_not_a_redirect() =>
        Assert.Null(ScanAll(Ascii("GET_PARAMETER rtsp://10.0.0.5/stream RTSP/1.0\r\nCSeq: 7\r\n\r\nRTSP/1.0 200 OK\r\nCSeq: 5\r\n\r\n")));

    [Fact]
    public void The_redirect_is_reported_without_the_credentials_it_carries()
    {
        var refusal = ScanAll(Ascii("RTSP/1.0 200 OK\r\nLocation: rtsp://admin:hunter2@10.0.0.9/\r\n\r\n"));
        Assert.NotNull(refusal);
        Assert.DoesNotContain("hunter2", refusal);
        Assert.Contains("10.0.0.9", refusal);
    }

    [Theory]
    [InlineData("rtsp://cam.example/live", 4100, "rtsp://127.0.0.1:4100/live")]
    [InlineData("rtsps://admin:p%40ss@cam.example:3322/Streaming/Channels/101?transportmode=unicast", 4100,
        "rtsp://admin:p%40ss@127.0.0.1:4100/Streaming/Channels/101?transportmode=unicast")]
    [InlineData("https://user:pw@[fd00::5]:8443/video.mjpg", 7, "http://user:pw@127.0.0.1:7/video.mjpg")]
    [InlineData("http://cam.example", 80, "http://127.0.0.1:80")]
    [InlineData("rtsp://a@b@cam.example:554/x?next=rtsp://other/", 9, "rtsp://a@b@127.0.0.1:9/x?next=rtsp://other/")]
    public void The_loopback_url_keeps_everything_but_the_scheme_host_and_port(string camera, int port, string loopback) =>
        Assert.Equal(loopback, CameraUplink.LoopbackUrl(camera, port));
}
