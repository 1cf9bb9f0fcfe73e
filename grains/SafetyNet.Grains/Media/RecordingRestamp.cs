using SafetyNet.Grains.Observability;

namespace SafetyNet.Grains.Media;

/// <summary>
/// How far one ffmpeg run's segment stamps are behind the node's wall clock after its steps. ffmpeg stamps a segment with
/// the wall-clock time of its run's start plus the lengths of the segments before it, so a step of the wall clock while it
/// runs leaves every later segment labelled off by the step (ffmpeg never reads the clock again). Each step the node sees
/// during the run adds a pivot, in the run's own time: segments written from it on are moved by the step, and segments
/// before it keep the time the clock read when they were recorded, as the ledger's entries of that time do.
/// </summary>
/// <remarks>
/// The watch looks once a second, so a step is known to lie between its last look and now: the pivot is that last look, and
/// up to a segment either side of the step can be labelled by the wrong side of it.
/// </remarks>
public sealed class RecordingRestamp
{
    public static readonly RecordingRestamp None = new([]);

    private readonly (DateTimeOffset Pivot, TimeSpan Shift)[] _pivots;

    private RecordingRestamp((DateTimeOffset Pivot, TimeSpan Shift)[] pivots) => _pivots = pivots;

    /// <summary>How far the run's newest stamps are behind the node's wall clock: every step it followed.</summary>
    public TimeSpan Total => _pivots.Length == 0 ? TimeSpan.Zero : _pivots[^1].Shift;

    /// <summary>
    /// This run's stamps once the wall clock stepped by <paramref name="step"/>. The watch's last look read the stepped
    /// clock's time before the step; in the run's own time that is the same instant less the steps already followed.
    /// </summary>
    public RecordingRestamp Following(ClockStep step) =>
        new([.. _pivots, (step.ReadBefore - Total, Total + step.Size)]);

    /// <summary>What to add to a segment ffmpeg stamped <paramref name="written"/>: every step whose pivot it is at or past.</summary>
    public TimeSpan ShiftAt(DateTimeOffset written)
    {
        for (var i = _pivots.Length - 1; i >= 0; i--)
            if (written >= _pivots[i].Pivot) return _pivots[i].Shift;
        return TimeSpan.Zero;
    }

    public HlsPlaylist Apply(HlsPlaylist written) => _pivots.Length == 0 ? written : written.Restamped(ShiftAt);
}
