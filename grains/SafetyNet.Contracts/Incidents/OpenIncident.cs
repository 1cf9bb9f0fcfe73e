using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Incidents;

/// <summary>What a dispatch system (or a person, who must give a <see cref="Justification"/>) says when it opens an incident.</summary>
[GenerateSerializer, Immutable, Alias("open-incident")]
public sealed partial record OpenIncident(
    [property: Id(0)] IncidentType Type,
    [property: Id(1)] GeoPoint Position,
    [property: Id(2)] int Priority,
    [property: Id(3)] string? ExternalReference = null,
    [property: Id(4)] string? Address = null,
    [property: Id(5)] string? Description = null,
    [property: Id(6)] string[]? Agencies = null,
    [property: Id(7)] double? RadiusMeters = null,
    [property: Id(8)] string? Justification = null)
{
    /// <summary>How long a dispatch system's own incident number may be.</summary>
    public const int MaxExternalReferenceLength = 128;
}
