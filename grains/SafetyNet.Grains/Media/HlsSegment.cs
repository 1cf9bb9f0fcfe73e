using System.Globalization;

namespace SafetyNet.Grains.Media;

/// <summary>One segment a relay's playlist lists, and its length by the playlist (#EXTINF).</summary>
internal sealed record HlsSegment(string Name, double Seconds)
{
    /// <summary>The newest segments whose lengths add up to at most <paramref name="maxSeconds"/>, oldest first; always the newest one.</summary>
    public static List<HlsSegment> Newest(string playlist, int maxSeconds)
    {
        var listed = new List<HlsSegment>();
        double? pending = null;
        foreach (var raw in playlist.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
                pending = double.Parse(line["#EXTINF:".Length..].Split(',')[0], CultureInfo.InvariantCulture);
            else if (line.Length > 0 && !line.StartsWith('#') && pending is { } seconds && CameraFiles.IsSegmentName(line))
            {
                listed.Add(new HlsSegment(line, seconds));
                pending = null;
            }
        }
        if (listed.Count == 0) throw new MediaUnavailableException("", "The live window lists no segments yet.");
        var chosen = new List<HlsSegment>();
        var total = 0.0;
        for (var i = listed.Count - 1; i >= 0 && (chosen.Count == 0 || total + listed[i].Seconds <= maxSeconds + 0.05); i--)
        {
            chosen.Insert(0, listed[i]);
            total += listed[i].Seconds;
        }
        return chosen;
    }
}
