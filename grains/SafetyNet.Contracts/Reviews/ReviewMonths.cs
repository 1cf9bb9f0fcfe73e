using System.Globalization;

namespace SafetyNet.Contracts.Reviews;

/// <summary>Review months ("yyyy-MM") and their boundaries in Seoul time.</summary>
public static class ReviewMonths
{
    /// <summary>Korea has kept UTC+9 without daylight saving since 1988, so a fixed offset is exact and needs no tz database.</summary>
    public static readonly TimeSpan SeoulOffset = TimeSpan.FromHours(9);

    public static bool TryParse(string? text, out DateTimeOffset start)
    {
        start = default;
        if (text is null || !DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)) return false;
        start = new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, SeoulOffset);
        return true;
    }

    /// <summary>The month's first instant and the next month's first instant (exclusive), Seoul time.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Bounds(string month) =>
        TryParse(month, out var start) ? (start, start.AddMonths(1)) : throw new ArgumentException($"'{month}' is not a month (yyyy-MM).", nameof(month));

    public static string Of(DateTimeOffset instant) => instant.ToOffset(SeoulOffset).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string Previous(DateTimeOffset now) => Of(new DateTimeOffset(now.ToOffset(SeoulOffset).Year, now.ToOffset(SeoulOffset).Month, 1, 0, 0, 0, SeoulOffset).AddMonths(-1));
}
