using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Silo.Logging;

/// <summary>
/// While the database cannot be reached every request that needs it is refused at once, and Orleans logs each refused
/// activation as four errors with stack traces; its reminder and membership services log a lost connection every time they
/// try. At a few hundred requests a second the outage's cause would scroll past in thousands of identical lines. So an
/// entry caused by the outage (its exception is the refusal, or a fault of the database connection) is logged at most once
/// per <see cref="Window"/> for each place that logs it (category and event), and the next one logged says how many were
/// left out. Every other entry passes, and so does the first entry of a <see cref="RecurringFailureLog"/>, which is one
/// per run of failures already (a second outage's beginning must not be held back by the first's).
/// </summary>
public sealed class DatabaseOutageLogThrottle(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<(string Category, int EventId), Place> _places = [];

    private sealed class Place(DateTimeOffset logged)
    {
        public DateTimeOffset Logged = logged;
        public int LeftOut;
    }

    /// <summary>What to do with one entry.</summary>
    /// <param name="Log">Log it.</param>
    /// <param name="Throttled">It is caused by the outage, so others like it may be left out.</param>
    /// <param name="LeftOut">How many like it were left out since the last one logged.</param>
    public readonly record struct Admission(bool Log, bool Throttled, int LeftOut);

    public Admission Admit(string category, EventId eventId, Exception? exception)
    {
        if (!CausedByOutage(eventId, exception)) return new(true, false, 0);
        var now = clock.GetUtcNow();
        lock (_places)
        {
            if (!_places.TryGetValue((category, eventId.Id), out var place))
            {
                _places[(category, eventId.Id)] = new Place(now);
                return new(true, true, 0);
            }
            if (now - place.Logged < Window)
            {
                place.LeftOut++;
                return new(false, true, 0);
            }
            var leftOut = place.LeftOut;
            (place.Logged, place.LeftOut) = (now, 0);
            return new(true, true, leftOut);
        }
    }

    private static bool CausedByOutage(EventId eventId, Exception? exception) =>
        exception is not null && eventId.Name != RecurringFailureLog.FirstFailure.Name
        && (exception.Refusal(DomainErrorKind.DatabaseUnreachable) is not null || exception.IsTransientDatabaseFault());
}
