using SafetyNet.Contracts;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Configuration;

namespace SafetyNet.Grains.Incidents;

/// <summary>
/// Who may open an incident, whom it may name as responders, and who may confirm one a person opened: the type's authority
/// table (<see cref="IncidentTypeSettings.OpenerKinds"/>, <see cref="IncidentTypeSettings.AgencyKinds"/>) applied to agencies.
/// Each rule answers null when it allows, or the reason it refuses; nothing is allowed that a rule does not allow.
/// </summary>
public static class IncidentAuthority
{
    public const int MaxJustificationLength = 1000;
    public const int MaxNoteLength = 1000;

    public static string? RefuseOpening(AgencyInfo? opener, string openerAgencyId, IncidentType type, IncidentTypeSettings settings)
    {
        if (opener is null) return $"Agency '{openerAgencyId}' is not registered, so it may not open incidents.";
        return settings.MayOpen(opener.Kind)
            ? null
            : $"{opener.Id} is a {KindName(opener.Kind)}; {TypeName(type)} incidents are opened only by {KindNames(settings.OpenerKinds)}.";
    }

    /// <summary>A person (operator or supervisor) must say why; a dispatch system may. Either way it is bounded.</summary>
    public static string? RefuseJustification(IncidentActor opener, string? justification)
    {
        if (justification is { Length: > MaxJustificationLength }) return $"justification is at most {MaxJustificationLength} characters.";
        return opener.IsPerson && string.IsNullOrWhiteSpace(justification)
            ? "An incident opened by a person (operator or supervisor) needs a justification: say why its cameras must be seen."
            : null;
    }

    /// <summary>A named or added agency must be of a kind that responds to this type.</summary>
    public static string? RefuseResponder(AgencyInfo agency, IncidentType type, IncidentTypeSettings settings) =>
        settings.Responds(agency.Kind)
            ? null
            : $"Agency '{agency.Id}' is a {KindName(agency.Kind)}; {TypeName(type)} incidents are responded to only by {KindNames(settings.AgencyKinds)}.";

    /// <summary>The agencies whose supervisors may confirm an incident <paramref name="opener"/> opened: its own, and every city-wide agency of an opener kind.</summary>
    public static string[] ReviewingAgencies(IEnumerable<AgencyInfo> agencies, AgencyInfo opener, IncidentTypeSettings settings) => agencies
        .Where(a => MayReview(a, opener.Id, settings))
        .Select(a => a.Id)
        .Append(opener.Id)
        .Distinct()
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>
    /// Four eyes: a supervisor of the opener's agency, or of a city-wide agency of an opener kind, and never the person who
    /// opened it — even when that person is a supervisor.
    /// </summary>
    public static string? RefuseConfirmation(IncidentActor confirmer, AgencyInfo? confirmerAgency, IncidentActor opener, IncidentTypeSettings settings)
    {
        if (confirmer.Role != IncidentActorRole.Supervisor) return "Only a supervisor may confirm an incident that a person opened.";
        if (confirmer.Actor == opener.Actor) return "Four eyes: whoever opened an incident may not confirm it; another supervisor must.";
        if (confirmerAgency is null) return $"Agency '{confirmer.AgencyId}' is not registered.";
        if (MayReview(confirmerAgency, opener.AgencyId, settings)) return null;
        return $"{confirmerAgency.Id} may not confirm this incident: only supervisors of {opener.AgencyId} or of a city-wide {KindNames(settings.OpenerKinds)} may.";
    }

    private static bool MayReview(AgencyInfo agency, string openerAgencyId, IncidentTypeSettings settings) =>
        agency.Id == openerAgencyId || (agency.CityWide && settings.MayOpen(agency.Kind));

    /// <summary>Until a supervisor confirms, the opener's agency is granted only the cameras inside its own jurisdiction.</summary>
    public static string[] ProvisionalCameras(AgencyInfo opener, IEnumerable<SelectedCamera> cameras) => cameras
        .Where(c => opener.HasJurisdictionOver(c.DistrictCode))
        .Select(c => c.CameraId)
        .ToArray();

    private static string TypeName(IncidentType type) => EnumNames<IncidentType>.NameOf(type);

    private static string KindName(AgencyKind kind) => EnumNames<AgencyKind>.NameOf(kind);

    private static string KindNames(IEnumerable<string> kinds) =>
        kinds.Any() ? string.Join(" or ", kinds) : "no agency kind (not configured)";
}
