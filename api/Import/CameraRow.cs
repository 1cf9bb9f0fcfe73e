namespace SafetyNet.Api.Import;

/// <summary>
/// One camera as read from an import file, before validation. <see cref="Row"/> is the CSV line or feature index;
/// <see cref="Rejection"/> says why the reader could not read it.
/// </summary>
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
    ImportRejection? Rejection = null,
    string? OnvifUrl = null);
