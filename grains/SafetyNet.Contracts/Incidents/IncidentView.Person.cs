using System.Text.Json.Serialization;

namespace SafetyNet.Contracts.Incidents;

/// <summary>
/// Who the person of an SOS incident is and where they went: shown only to the agencies that respond and the one that
/// opened it (and auditors and platform admins); every other copy of the view, over HTTP or SignalR, is <see cref="WithoutPerson"/>.
/// </summary>
public sealed partial record IncidentView
{
    [Id(40), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PersonCategory? PersonCategory { get; init; }

    /// <summary>Oldest first; the first point is where the incident was opened.</summary>
    [Id(41), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TrailPoint>? Trail { get; init; }

    [JsonIgnore]
    public bool HasPersonDetails => PersonCategory is not null || Trail is not null;

    public bool SharesPersonWith(string agencyId) => Agencies.Contains(agencyId) || (OpenerAgencyId.Length > 0 && OpenerAgencyId == agencyId);

    public IncidentView WithoutPerson() => this with { PersonCategory = null, Trail = null };
}
