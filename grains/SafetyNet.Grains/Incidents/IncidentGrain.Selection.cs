using SafetyNet.Contracts.Agencies;
using SafetyNet.Grains.Districts;

namespace SafetyNet.Grains.Incidents;

/// <summary>Which cameras the incident holds: those at its place that at least one of its responders could view.</summary>
public sealed partial class IncidentGrain
{
    /// <summary>Selects the cameras for <paramref name="responders"/> under the grants this incident gives them; returns what was left out, for the timeline.</summary>
    private async Task<string?> SelectCamerasAsync(IEnumerable<string> responders, IReadOnlyDictionary<string, AgencyInfo>? agencies = null)
    {
        agencies ??= await agencyDirectory.GetAsync();
        var districtPolicies = await policies.AllAsync();
        var viewing = new ResponderViewing(responders.Distinct().Select(agencies.GetValueOrDefault).OfType<AgencyInfo>()
            .Select(agency => (agency, NewGrant(agency.Id, [], "system"))), districtPolicies, clock.GetUtcNow());
        var selection = CameraSelector.Select(index.Current, S.Position, Options.For(S.Request!.Type), S.RadiusMeters, viewing);
        S.Cameras = [.. selection.Cameras];
        return selection.LeftOutNote;
    }

    /// <summary>Whom the cameras are for: the responders (less those a move leaves behind, plus those it brings) and those granted once a supervisor confirms.</summary>
    private string[] CameraResponders(IEnumerable<string>? leaving = null, IEnumerable<string>? joining = null) =>
        S.Agencies.Where(IsActiveResponder).Except(leaving ?? []).Concat(S.PendingAgencies).Concat(joining ?? []).Distinct().ToArray();

    private static string LeftOutSuffix(string? leftOut) => leftOut is null ? "" : $"; {leftOut}";
}
