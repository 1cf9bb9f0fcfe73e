using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Configuration;

namespace SafetyNet.Grains.Incidents;

/// <summary>Who sends whole-area notices and who is shown them.</summary>
public static class AlertNoticeAudience
{
    /// <summary>The agencies that may send one: those that may open a disaster incident.</summary>
    public static string[] Senders(IReadOnlyDictionary<string, AgencyInfo> agencies, IncidentOptions options) =>
        [.. agencies.Values.Where(agency => options.For(IncidentType.DisasterResponse).MayOpen(agency.Kind)).Select(agency => agency.Id).Order(StringComparer.Ordinal)];

    /// <summary>Every registered agency's situation room, and the sender's own.</summary>
    public static string[] Shown(IReadOnlyDictionary<string, AgencyInfo> agencies, string sender) =>
        [.. agencies.Keys.Append(sender).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
