using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Configuration;

namespace SafetyNet.Grains.Incidents;

/// <summary>
/// Who sends whole-area notices and who is shown them: every agency that answers for some of the sender's districts (in a
/// nation, Busan's disaster room warns Busan's rooms and stations, not Seoul's).
/// </summary>
public static class AlertNoticeAudience
{
    /// <summary>The agencies that may send one (those that may open a disaster incident) and whose notices <paramref name="viewer"/> is shown.</summary>
    public static string[] SendersFor(IReadOnlyDictionary<string, AgencyInfo> agencies, string viewer, IncidentOptions options)
    {
        var shownTo = agencies.GetValueOrDefault(viewer);
        return [.. agencies.Values
            .Where(sender => options.For(IncidentType.DisasterResponse).MayOpen(sender.Kind) && (sender.Id == viewer || (shownTo is not null && ShareDistricts(sender, shownTo))))
            .Select(sender => sender.Id).Order(StringComparer.Ordinal)];
    }

    /// <summary>The agencies shown a notice of <paramref name="sender"/>, the sender included.</summary>
    public static string[] Shown(IReadOnlyDictionary<string, AgencyInfo> agencies, string sender)
    {
        var from = agencies.GetValueOrDefault(sender);
        return [.. agencies.Values.Where(agency => from is not null && ShareDistricts(from, agency)).Select(agency => agency.Id)
            .Append(sender).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static bool ShareDistricts(AgencyInfo one, AgencyInfo other) => one.CityWide || other.CityWide || one.Districts.Intersect(other.Districts).Any();
}
