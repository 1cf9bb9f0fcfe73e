using System.Text;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Grains.Media.Uplink;

/// <summary>
/// Reads what a camera's RTSP server sends ffmpeg, framed as ffmpeg's client frames it while it connects (libavformat/rtsp.c,
/// <c>ff_rtsp_read_reply</c>): a line ends at '\n' and drops '\r'; a '$' that starts a line begins an interleaved packet ('$',
/// channel, 16-bit length, data), which is skipped; a reply's first line <c>RTSP/x.y CODE</c> gives its status, a blank line
/// ends its header, and its <c>Content-Length:</c> says how many bytes of body follow. ffmpeg follows a 3xx reply's
/// <c>Location:</c> to any host on its own, past the node's check of the camera's address. The scanner finds such a reply at
/// the blank line that ends its header, before that line's last byte reaches ffmpeg, so the uplink cuts the connection first.
/// </summary>
public sealed class RtspReplyScanner
{
    /// <summary>ffmpeg keeps this many characters of a header line and drops the rest: a longer line is not read as ffmpeg reads it.</summary>
    public const int MaxLineLength = 4095;

    /// <summary>No camera sends a reply body (an SDP) near this long; a larger one is refused rather than trusted as framing.</summary>
    public const int MaxBodyLength = 1 << 20;

    private enum Part { Line, PacketHeader, Skip }

    private readonly byte[] _line = new byte[MaxLineLength];
    private Part _part = Part.Line;
    private int _lineLength;
    private int _linesInReply;
    private int _packetHeaderRead;
    private int _packetLength;
    private long _toSkip;
    private long _contentLength;
    private long? _status;
    private string? _location;

    /// <summary>
    /// Reads the next bytes from the camera. Returns null when they may go on to ffmpeg, or why the connection must be cut
    /// before any of them reach it (the scanner is then of no further use).
    /// </summary>
    public UplinkCut? Scan(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length)
        {
            switch (_part)
            {
                case Part.Skip:
                    var skipped = (int)Math.Min(_toSkip, bytes.Length - at);
                    at += skipped;
                    if ((_toSkip -= skipped) == 0) _part = Part.Line;
                    break;
                case Part.PacketHeader:
                    var value = bytes[at++];
                    if (++_packetHeaderRead > 1) _packetLength = (_packetLength << 8) | value;
                    if (_packetHeaderRead < 3) break;
                    (_toSkip, _part) = (_packetLength, _packetLength == 0 ? Part.Line : Part.Skip);
                    break;
                default:
                    var next = bytes[at++];
                    if (next == (byte)'$' && _lineLength == 0)
                    {
                        (_part, _packetHeaderRead, _packetLength) = (Part.PacketHeader, 0, 0);
                        break;
                    }
                    if (next == (byte)'\r') break;
                    if (next != (byte)'\n')
                    {
                        if (_lineLength == MaxLineLength) return UplinkCut.Protocol($"The camera sent an RTSP header line longer than {MaxLineLength} characters.");
                        _line[_lineLength++] = next;
                        break;
                    }
                    if (EndLine() is { } refusal) return refusal;
                    break;
            }
        }
        return null;
    }

    private UplinkCut? EndLine()
    {
        var line = _line.AsSpan(0, _lineLength);
        _lineLength = 0;
        if (line.IsEmpty) return EndHeader();
        if (_linesInReply++ == 0)
        {
            _status = StatusOf(line);
            return null;
        }
        if (StartsWithIgnoringCase(line, "Location:"u8))
        {
            _location = Printable(line["Location:".Length..]);
            return null;
        }
        if (!StartsWithIgnoringCase(line, "Content-Length:"u8)) return null;
        var length = LeadingNumber(line["Content-Length:".Length..]);
        if (length is null or > MaxBodyLength) return UplinkCut.Protocol($"The camera sent an RTSP reply whose Content-Length is not a length up to {MaxBodyLength} bytes.");
        _contentLength = Math.Max(0, length.Value);
        return null;
    }

    /// <summary>
    /// The blank line that ends a reply's header, which ffmpeg acts on: a redirect is refused here, with where it pointed, before
    /// this line's last byte reaches ffmpeg. A Location on any reply is refused too, and a status ffmpeg would read differently.
    /// </summary>
    private UplinkCut? EndHeader()
    {
        var (status, location) = (_status, _location);
        (_toSkip, _contentLength, _linesInReply, _status, _location) = (_contentLength, 0, 0, 0, null);
        if (_toSkip > 0) _part = Part.Skip;
        if (status is null)
            return UplinkCut.Redirect("The camera sent an RTSP status too large to read as ffmpeg does, which could make it a redirect: the node does not follow one.");
        if (status is not (>= 300 and < 400) && location is null) return null;
        var to = location is null ? "" : $" to {location}";
        return UplinkCut.Redirect($"The camera redirected the node{to} (RTSP status {status}), which it does not follow: it checked the camera's address, " +
            "not where the camera points. If that is where the camera's video is, store that address as its stream URL.");
    }

    /// <summary>
    /// The status of a message's first line as ffmpeg reads it: the word after one starting "RTSP/", by C's atoi; 0 for a
    /// request from the server. Null when the number does not fit in 32 bits: ffmpeg would keep only its low bits.
    /// </summary>
    private static long? StatusOf(ReadOnlySpan<byte> line)
    {
        var words = Encoding.Latin1.GetString(line).Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || !words[0].StartsWith("RTSP/", StringComparison.Ordinal)) return 0;
        return LeadingNumber(Encoding.Latin1.GetBytes(words[1]));
    }

    /// <summary>C's strtol in base 10: blanks, a sign, digits; 0 when there are none; null when it does not fit in 32 bits, as ffmpeg stores it.</summary>
    private static long? LeadingNumber(ReadOnlySpan<byte> text)
    {
        var at = 0;
        while (at < text.Length && text[at] is (byte)' ' or (byte)'\t' or (byte)'\v' or (byte)'\f') at++;
        var negative = at < text.Length && text[at] == (byte)'-';
        if (at < text.Length && text[at] is (byte)'+' or (byte)'-') at++;
        long value = 0;
        for (; at < text.Length && text[at] is >= (byte)'0' and <= (byte)'9'; at++)
            if ((value = value * 10 + (text[at] - '0')) > int.MaxValue) return null;
        return negative ? -value : value;
    }

    private static bool StartsWithIgnoringCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> prefix) =>
        line.Length >= prefix.Length && Ascii.EqualsIgnoreCase(line[..prefix.Length], prefix);

    /// <summary>Where a redirect pointed, without any credentials it carries, cut to what a log line should repeat.</summary>
    private static string Printable(ReadOnlySpan<byte> text) =>
        EchoedText.Cut(StreamUrls.Redact(new string([.. Encoding.Latin1.GetString(text).Trim().Where(c => !char.IsControl(c))])));
}
