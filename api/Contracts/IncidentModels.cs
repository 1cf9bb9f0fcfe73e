namespace SafetyNet.Api.Contracts;

public sealed record OpenIncidentBody(
    string? Type, double? Latitude, double? Longitude, int? Priority, string? ExternalReference, string? Address,
    string? Description, string[]? Agencies, double? RadiusMeters);

public sealed record MoveIncidentBody(double? Latitude, double? Longitude);

public sealed record EscalateIncidentBody(string[]? Agencies, double? RadiusMeters, int? Priority);

public sealed record CloseIncidentBody(string? Reason);
