namespace SafetyNet.Api.Import;

/// <summary>One camera as read from an import file, before validation. <see cref="Row"/> is the CSV line or feature index.</summary>
public sealed record CameraRow(
    int Row,
    string? Id,
    string? DistrictCode,
    double? Latitude,
    double? Longitude,
    string? Purpose,
    string? Status,
    double? HeadingDegrees,
    double? FieldOfViewDegrees,
    bool? Ptz,
    string? StreamUrl,
    string? Name,
    string? ParseError = null,
    string? OnvifUrl = null);
