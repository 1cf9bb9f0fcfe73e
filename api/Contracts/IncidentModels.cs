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
