using System.Globalization;
using System.Text;

namespace SafetyNet.Grains.Media;

/// <summary>
/// A relay's rolling HLS playlist read back: its header and its segments, each with the tags ffmpeg wrote before it. The
/// relay's ffmpeg keeps the whole rewind window; the live playlist a viewer gets is the same playlist cut to its newest
/// segments (<see cref="Newest"/>), with the media and discontinuity sequence numbers moved on by what was cut.
/// </summary>
public sealed class HlsPlaylist
{
    private const string MediaSequenceTag = "#EXT-X-MEDIA-SEQUENCE:";
    private const string DiscontinuitySequenceTag = "#EXT-X-DISCONTINUITY-SEQUENCE:";
    private const string DiscontinuityTag = "#EXT-X-DISCONTINUITY";
    private const string ProgramDateTimeTag = "#EXT-X-PROGRAM-DATE-TIME:";
    private const string DurationTag = "#EXTINF:";

    private readonly IReadOnlyList<string> _header;

    private HlsPlaylist(IReadOnlyList<string> header, IReadOnlyList<Segment> segments)
    {
        _header = header;
        Segments = segments;
    }

    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>One listed segment: its file name, length by #EXTINF, wall-clock start by #EXT-X-PROGRAM-DATE-TIME (when written), and its tag lines.</summary>
    public sealed record Segment(string Name, double Seconds, DateTimeOffset? StartsAt, IReadOnlyList<string> Tags)
    {
        public bool Discontinuous => Tags.Contains(DiscontinuityTag);
    }

    /// <summary>The wall-clock time the playlist covers, from its first segment's start to its last segment's end; null without program date times.</summary>
    public (DateTimeOffset Start, DateTimeOffset End)? Span =>
        Segments.Count > 0 && Segments[0].StartsAt is { } start && Segments[^1].StartsAt is { } lastStart
            ? (start, lastStart + TimeSpan.FromSeconds(Segments[^1].Seconds))
            : null;

    /// <summary>Reads a playlist; lines it does not understand are kept as they are. Only plain segment names count as segments.</summary>
    public static HlsPlaylist Parse(string text)
    {
        var header = new List<string>();
        var segments = new List<Segment>();
        var pending = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith("#EXT-X-ENDLIST", StringComparison.Ordinal)) continue;
            if (line.StartsWith('#'))
            {
                if (segments.Count == 0 && pending.Count == 0 && !IsSegmentTag(line)) header.Add(line);
                else pending.Add(line);
                continue;
            }
            if (CameraFiles.IsSegmentName(line) && pending.FirstOrDefault(t => t.StartsWith(DurationTag, StringComparison.Ordinal)) is { } duration)
                segments.Add(new Segment(line, SecondsOf(duration), StartOf(pending), [.. pending]));
            pending.Clear();
        }
        return new HlsPlaylist(header, segments);
    }

    /// <summary>
    /// The playlist cut to its newest <paramref name="count"/> segments. A player reading it sees a live playlist like any
    /// other: the media sequence counts the cut segments, the discontinuity sequence the discontinuities cut with them.
    /// </summary>
    public HlsPlaylist Newest(int count)
    {
        var cut = Math.Max(0, Segments.Count - count);
        if (cut == 0) return this;
        var discontinuitiesCut = Segments.Take(cut).Count(s => s.Discontinuous);
        var header = _header.Select(line =>
            line.StartsWith(MediaSequenceTag, StringComparison.Ordinal) ? $"{MediaSequenceTag}{NumberAfter(line, MediaSequenceTag) + cut}"
            : line.StartsWith(DiscontinuitySequenceTag, StringComparison.Ordinal) ? $"{DiscontinuitySequenceTag}{NumberAfter(line, DiscontinuitySequenceTag) + discontinuitiesCut}"
            : line).ToList();
        if (discontinuitiesCut > 0 && !header.Any(l => l.StartsWith(DiscontinuitySequenceTag, StringComparison.Ordinal)))
            header.Add($"{DiscontinuitySequenceTag}{discontinuitiesCut}");
        return new HlsPlaylist(header, [.. Segments.Skip(cut)]);
    }

    /// <summary>The newest segments whose lengths add up to at most <paramref name="maxSeconds"/>, oldest first; always the newest one.</summary>
    public IReadOnlyList<Segment> NewestSeconds(double maxSeconds)
    {
        var chosen = new List<Segment>();
        var total = 0.0;
        for (var i = Segments.Count - 1; i >= 0 && (chosen.Count == 0 || total + Segments[i].Seconds <= maxSeconds + 0.05); i--)
        {
            chosen.Insert(0, Segments[i]);
            total += Segments[i].Seconds;
        }
        return chosen;
    }

    /// <summary>
    /// The playlist with each segment's wall-clock start moved by <paramref name="shiftOf"/> its start as written, in both
    /// <see cref="Segment.StartsAt"/> and its #EXT-X-PROGRAM-DATE-TIME tag; itself when no segment moves.
    /// </summary>
    public HlsPlaylist Restamped(Func<DateTimeOffset, TimeSpan> shiftOf)
    {
        var moved = false;
        var segments = new Segment[Segments.Count];
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = Segments[i];
            var shift = segment.StartsAt is { } start ? shiftOf(start) : TimeSpan.Zero;
            if (shift == TimeSpan.Zero)
            {
                segments[i] = segment;
                continue;
            }
            moved = true;
            var startsAt = segment.StartsAt!.Value + shift;
            var stamp = ProgramDateTimeTag + startsAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            segments[i] = segment with
            {
                StartsAt = startsAt,
                Tags = [.. segment.Tags.Select(t => t.StartsWith(ProgramDateTimeTag, StringComparison.Ordinal) ? stamp : t)],
            };
        }
        return moved ? new HlsPlaylist(_header, segments) : this;
    }

    /// <summary>The playlist as text, each segment URI passed through <paramref name="uri"/> (a player fetches segments relative to the playlist).</summary>
    public string Write(Func<string, string> uri)
    {
        var text = new StringBuilder();
        foreach (var line in _header) text.Append(line).Append('\n');
        foreach (var segment in Segments)
        {
            foreach (var tag in segment.Tags) text.Append(tag).Append('\n');
            text.Append(uri(segment.Name)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Tags that belong to the next segment rather than to the playlist.</summary>
    private static bool IsSegmentTag(string line) =>
        line.StartsWith(DurationTag, StringComparison.Ordinal) || line.StartsWith(ProgramDateTimeTag, StringComparison.Ordinal) ||
        line == DiscontinuityTag;

    private static double SecondsOf(string durationTag) =>
        double.Parse(durationTag[DurationTag.Length..].Split(',')[0], NumberStyles.Float, CultureInfo.InvariantCulture);

    private static DateTimeOffset? StartOf(IEnumerable<string> tags) =>
        tags.FirstOrDefault(t => t.StartsWith(ProgramDateTimeTag, StringComparison.Ordinal)) is { } tag
        && DateTimeOffset.TryParse(tag[ProgramDateTimeTag.Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    private static long NumberAfter(string line, string tag) =>
        long.TryParse(line[tag.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
}
