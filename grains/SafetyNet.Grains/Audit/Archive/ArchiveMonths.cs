using System.Globalization;

namespace SafetyNet.Grains.Audit.Archive;

/// <summary>
/// Which rows an archive run takes and which monthly file each goes to. The chain runs by seq, while times may step back
/// (clock skew between nodes, a back-dated entry), so a row's month is the latest month seen so far in seq order: every
/// month is then one contiguous run of rows, and the run stops at the first row whose month is not wholly past the cutoff.
/// </summary>
public sealed class ArchiveMonths(DateTimeOffset cutoff)
{
    private DateTimeOffset _latestMonth = DateTimeOffset.MinValue;

    /// <summary>The first instant of the month that contains <paramref name="now"/> − <paramref name="period"/>: whole months before it are archived.</summary>
    public static DateTimeOffset Cutoff(DateTimeOffset now, TimeSpan period)
    {
        var at = (now - period).ToUniversalTime();
        return new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public static string Name(DateTimeOffset month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The month (yyyy-MM) the row is archived in, or null: this row and every later one stay live.</summary>
    public string? MonthOf(DateTimeOffset occurredAt)
    {
        var at = occurredAt.ToUniversalTime();
        var month = new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero);
        if (month > _latestMonth) _latestMonth = month;
        return _latestMonth < cutoff ? Name(_latestMonth) : null;
    }
}
