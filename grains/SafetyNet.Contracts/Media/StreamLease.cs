using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;

namespace SafetyNet.Contracts.Media;

/// <summary>
/// A viewer's short-lived right to one camera's live stream, tied to its session, purpose and (optionally) incident grant.
/// <see cref="Priority"/> is the incident's priority (1 highest) or <see cref="StandingPriority"/> for standing access.
/// <see cref="Holder"/> is the holder's agency as the opening decision saw it, so that the camera can ask the rule again for
/// this holder on every media request (null only in leases persisted before it was recorded). <see cref="Unmasked"/>: the
/// holder may see the camera without its privacy masks (every other lease of a masked camera gets the masked rendition).
/// <see cref="RecordedVideo"/>: the holder may rewind into the relay's window (as the last decision, opening or renewing, saw it).
/// <see cref="Ptz"/>: the holder may take the camera's PTZ lock and turn it.
/// </summary>
[GenerateSerializer, Immutable, Alias("stream-lease")]
public sealed record StreamLease(
    [property: Id(0)] string LeaseId,
    [property: Id(1)] string CameraId,
    [property: Id(2)] string SessionId,
    [property: Id(3)] string AgencyId,
    [property: Id(4)] string OperatorId,
    [property: Id(5)] AccessPurpose Purpose,
    [property: Id(6)] string? IncidentId,
    [property: Id(7)] string? GrantId,
    [property: Id(8)] int Priority,
    [property: Id(9)] DateTimeOffset IssuedAt,
    [property: Id(10)] DateTimeOffset ExpiresAt,
    [property: Id(11)] string? RelayNodeUrl,
    [property: Id(12)] AgencyInfo? Holder = null,
    [property: Id(13)] bool Unmasked = false,
    [property: Id(14)] string? UnmaskedReason = null,
    [property: Id(15)] bool RecordedVideo = false,
    [property: Id(16)] bool Ptz = false)
{
    public const int StandingPriority = 9;
}

/// <summary>The answer to a lease request: the decision, and the lease when it allowed.</summary>
[GenerateSerializer, Immutable, Alias("lease-outcome")]
public sealed record LeaseOutcome([property: Id(0)] AccessDecision Decision, [property: Id(1)] StreamLease? Lease);

/// <summary>
/// Whether a lease still holds, checked on every media request; where the camera's relay runs; which rendition the lease may
/// fetch; whether it may fetch the rewind window (it holds the recorded-video right now, and has rewound).
/// </summary>
[GenerateSerializer, Immutable, Alias("lease-check")]
public sealed record LeaseCheck([property: Id(0)] bool Active, [property: Id(1)] string? Reason, [property: Id(2)] string? RelayNodeUrl,
    [property: Id(3)] MediaRendition Rendition, [property: Id(4)] bool RecordedVideo = false);

/// <summary>The decision, and the stamped JPEG when it allowed.</summary>
[GenerateSerializer, Immutable, Alias("snapshot-outcome")]
public sealed record SnapshotOutcome([property: Id(0)] AccessDecision Decision, [property: Id(1)] CameraSnapshot? Snapshot);
