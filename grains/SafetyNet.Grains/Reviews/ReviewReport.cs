namespace SafetyNet.Grains.Reviews;

/// <summary>
/// One district's monthly review, as signed: its canonical JSON (<see cref="ReviewJson"/>) is the byte form every
/// signature and hash is taken over; the CSV and HTML are renderings of it.
/// </summary>
public sealed record ReviewReport(
    string Format,
    string District,
    string DistrictName,
    string DistrictNameEnglish,
    string Month,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset ProducedAt,
    string Trigger,
    bool Interim,
    string ProducedBy,
    ReviewTotals Totals,
    IReadOnlyList<ReviewViewing> Viewings,
    IReadOnlyList<AgencyViews> ByAgency,
    ReviewFlags Flags,
    ReviewChain Chain)
{
    public const string FormatName = "safetynet-review-report/1";
    public const string Automatic = "automatic";
    public const string OnDemand = "on-demand";
}

/// <summary>Views are leases opened plus snapshots taken; <see cref="Denied"/> counts refused lease or snapshot decisions.</summary>
public sealed record ReviewTotals(int Views, int Leases, int Snapshots, int Played, int Denied, long SecondsViewed, int Cameras, int Agencies);

/// <summary>
/// One view of one camera: a lease (from its allow row to its end, revocation or expiry) or a snapshot (no duration).
/// <see cref="Rule"/> is the decision reason the view was allowed under (e.g. a sharing rule or an incident grant).
/// </summary>
public sealed record ReviewViewing(
    long Seq,
    string Kind,
    string? LeaseId,
    string? CameraId,
    string? AgencyId,
    string? Actor,
    string? Rule,
    string? IncidentId,
    string? Purpose,
    string? Justification,
    DateTimeOffset Start,
    DateTimeOffset? End,
    string EndedBy,
    long? DurationSeconds,
    bool Played);

public sealed record AgencyViews(string AgencyId, int Views, int Leases, int Snapshots, long SecondsViewed, int Cameras);

public sealed record ReviewFlags(int Raised, int Resolved, IReadOnlyList<ReviewFlag> Items);

/// <summary>A flag raised in the month, or one acknowledged in the month though raised earlier (<see cref="RaisedInMonth"/> false).</summary>
public sealed record ReviewFlag(string FlagId, string? Rule, long? Seq, DateTimeOffset? RaisedAt, bool RaisedInMonth, DateTimeOffset? ResolvedAt, string? ResolvedBy);

/// <summary>
/// The ledger's verification as it bears on the month: the month's rows (<see cref="FirstSeq"/>–<see cref="LastSeq"/>)
/// are intact when the whole chain verifies up to them, and covered when a valid signed checkpoint vouches for a row at
/// or after the last of them.
/// </summary>
public sealed record ReviewChain(
    bool Intact,
    bool CoveredBySignedCheckpoint,
    long? FirstSeq,
    long? LastSeq,
    long RecordsChecked,
    long CheckpointsChecked,
    long? CheckpointSeq,
    string? CheckpointKeyId,
    DateTimeOffset? CheckpointSignedAt,
    string? Problem);
