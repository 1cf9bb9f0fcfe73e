using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SafetyNet.Grains.Observability;

/// <summary>The product's own instruments, published on the "SafetyNet" meter next to Orleans' own.</summary>
public sealed class SafetyNetMetrics
{
    public const string MeterName = "SafetyNet";
    public const string ActivitySourceName = "SafetyNet";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _decisionDuration;
    private readonly Counter<long> _camerasImported;
    private readonly Counter<long> _sessionsStarted;
    private readonly Counter<long> _sessionsEnded;
    private readonly Histogram<long> _auditBatch;
    private readonly Histogram<double> _incidentOpenStage;
    private readonly Counter<long> _databaseRefused;
    private readonly Counter<long> _grainCallsResent;
    private readonly Counter<long> _wallClockSteps;
    private readonly Counter<long> _storedStateRefused;
    private readonly Counter<long> _camerasMovedToEncode;
    private readonly Meter _meter;

    public SafetyNetMetrics(IMeterFactory meterFactory)
    {
        var meter = _meter = meterFactory.Create(MeterName);
        _decisions = meter.CreateCounter<long>("safetynet.access.decisions", description: "Access decisions, by outcome and reason.");
        _decisionDuration = meter.CreateHistogram<double>("safetynet.access.decision.duration", "ms", "Time for a camera grain to decide.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100] });
        _camerasImported = meter.CreateCounter<long>("safetynet.cameras.imported", description: "Cameras created or updated by import or seeding.");
        _sessionsStarted = meter.CreateCounter<long>("safetynet.sessions.started");
        _sessionsEnded = meter.CreateCounter<long>("safetynet.sessions.ended", description: "Sessions ended, by reason.");
        _auditBatch = meter.CreateHistogram<long>("safetynet.audit.batch.size", "{entry}", "Entries per audit ledger transaction.");
        _incidentOpenStage = meter.CreateHistogram<double>("safetynet.incident.open.stage.duration", "ms",
            "Time an incident's opening spent in each stage, waiting included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] });
        _databaseRefused = meter.CreateCounter<long>("safetynet.database.refused", "{operation}",
            "Operations refused, at once or when given up, because this node knew its database to be out of reach: audited actions, and grain state and other database operations.");
        _grainCallsResent = meter.CreateCounter<long>("safetynet.grain.calls.resent", "{call}",
            "Read-only grain calls a leaving silo refused or lost, sent again: by whether a resend was answered or every try was refused.");
        _wallClockSteps = meter.CreateCounter<long>("safetynet.clock.steps", "{step}",
            "Steps of this machine's wall clock of a second or more against its monotonic clock, by direction (forward or back).");
        _storedStateRefused = meter.CreateCounter<long>("safetynet.state.refused", "{record}",
            "Stored records refused because their seal did not open: forged, altered, copied from another record, or unsealed.");
        _camerasMovedToEncode = meter.CreateCounter<long>("safetynet.media.cameras.moved", "{camera}",
            "Cameras this node was too busy to encode and moved to another silo that said it had room.");
        // Exported at 0 from the start, so an alert on its increase sees the series before the first event.
        WallClockStepped(TimeSpan.FromSeconds(1), count: 0);
        WallClockStepped(TimeSpan.FromSeconds(-1), count: 0);
        StoredStateRefused(count: 0);
    }

    /// <summary>Publishes how long this node has known its database to be out of reach, in seconds (0 while it answers): the gauge to alert on.</summary>
    public void ObserveDatabaseOutage(Func<double> seconds) =>
        _meter.CreateObservableGauge("safetynet.database.unreachable.duration", seconds, "s",
            "How long this node has known its database to be out of reach; 0 while it answers.");

    public void DatabaseRefused(DatabaseRefusal what) => _databaseRefused.Add(1, new KeyValuePair<string, object?>("what", what switch
    {
        DatabaseRefusal.AuditedAction => "audited-action",
        _ => "database-operation",
    }));

    public void WallClockStepped(TimeSpan step, int count = 1) =>
        _wallClockSteps.Add(count, new KeyValuePair<string, object?>("direction", WallClockWatch.DirectionOf(step)));

    public void StoredStateRefused(int count = 1) => _storedStateRefused.Add(count);

    public void CameraMovedToEncode() => _camerasMovedToEncode.Add(1);

    /// <summary>Publishes how many active silos this node's camera placement knows to have room for one more encode, and not.</summary>
    public void ObservePlacementRoom(Func<(int WithRoom, int WithoutRoom)?> silos) =>
        _meter.CreateObservableGauge("safetynet.media.placement.silos", () => silos() is var (with, without)
                ? [new Measurement<int>(with, new KeyValuePair<string, object?>("room", "yes")), new Measurement<int>(without, new KeyValuePair<string, object?>("room", "no"))]
                : Array.Empty<Measurement<int>>(),
            "{silo}", "Active silos, as this node last heard from them, with room for one more encode (room=yes) and without (room=no): where new cameras are placed.");

    public void GrainCallResent(bool answered) => _grainCallsResent.Add(1, new KeyValuePair<string, object?>("outcome", answered ? "answered" : "refused"));

    public void Decision(bool allowed, string reason, double milliseconds)
    {
        var tags = new TagList { { "outcome", allowed ? "allow" : "deny" }, { "reason", reason } };
        _decisions.Add(1, tags);
        _decisionDuration.Record(milliseconds, tags);
    }

    public void CamerasImported(int count) => _camerasImported.Add(count);

    public void SessionStarted() => _sessionsStarted.Add(1);

    public void SessionEnded(string reason) => _sessionsEnded.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void AuditBatchWritten(int size) => _auditBatch.Record(size);

    /// <summary>A clock for one incident's opening; its stages are those <see cref="Incidents.IncidentGrain"/> laps.</summary>
    public StageClock IncidentOpening() => new((stage, milliseconds) => _incidentOpenStage.Record(milliseconds, new KeyValuePair<string, object?>("stage", stage)));
}
