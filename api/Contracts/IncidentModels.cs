using SafetyNet.Contracts.Incidents;

namespace SafetyNet.Api.Contracts;

/// <summary>An operator or supervisor must give a <c>justification</c>; a dispatch system may.</summary>
public sealed record OpenIncidentBody(
    string? Type, double? Latitude, double? Longitude, int? Priority, string? ExternalReference, string? Address,
    string? Description, string[]? Agencies, double? RadiusMeters, string? Justification = null, string? PersonCategory = null);

/// <summary>Where the person of an SOS incident is now; <c>at</c> defaults to the time of receipt.</summary>
public sealed record TrailPointBody(double? Latitude, double? Longitude, double? AccuracyMeters, DateTimeOffset? At);

public sealed record MoveIncidentBody(double? Latitude, double? Longitude);

public sealed record EscalateIncidentBody(string[]? Agencies, double? RadiusMeters, int? Priority);

public sealed record ConfirmIncidentBody(string? Note);

public sealed record CloseIncidentBody(string? Reason);

/// <summary>
/// A whole-area CAP alert as the situation room is shown it: <c>status</c> is <c>shown</c> until a cancel, an all clear or
/// an update naming places takes it down (<c>ended</c>), or it <c>expired</c>. It opens no camera access.
/// </summary>
public sealed record AlertNoticeView(string Identifier, string Area, string? Headline, string? Event, int Priority, DateTimeOffset ReceivedAt,
    DateTimeOffset ExpiresAt, string Status, string? PostedBy, string? PostedByName, string? PostedByKind, string Detail)
{
    private const string NoAccess =
        "An alert for a whole city or province opens no camera access: access opens around places. Send the affected places as circles, polygons or districts to open an incident.";

    public static AlertNoticeView Of(AlertNotice notice, DateTimeOffset now) => new(notice.Identifier, notice.Area, notice.Headline, notice.Event, notice.Priority,
        notice.ReceivedAt, notice.ExpiresAt, notice.EndedAt is not null ? "ended" : notice.ExpiresAt <= now ? "expired" : "shown", notice.PostedBy, notice.PostedByName, notice.PostedByKind, NoAccess);
}

public sealed record AlertNoticeList(AlertNoticeView[] Items);
