using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SafetyNet.Api.Auth;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Contracts.Misuse;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Api.Hubs;

/// <summary>
/// Situation-room dashboards. Subscribing answers with the current state first, then changes arrive as events
/// (incidentOpened, incidentUpdated, incidentClosed, accessGranted, accessRevoked, cameraStatusChanged; for auditors
/// misuseFlagRaised, misuseFlagAcknowledged), so a dashboard that reconnects simply subscribes again.
/// </summary>
[Authorize(Policy = Policies.AnyRole)]
public sealed class OperationsHub(IGrainFactory grains, SubscribedStreams subscribed, WallScreens walls, IServedDistricts served) : Hub
{
    private const string WallScreenItem = "wall-screen";

    private string AgencyId => Context.User!.ToOperator().AgencyId;

    /// <summary>
    /// Every incident the caller's agency responds to, opened, or may review; returns those still open or closing. Changes
    /// arrive as whole <c>IncidentView</c>s. The agency's events carry <c>sequence</c> {stream: "agency:ID", epoch, number};
    /// a dashboard that sees a number skipped or a new epoch (also in the <c>sequencePosition</c> heartbeat) calls this again
    /// to read the state it may have missed.
    /// </summary>
    public Task<IReadOnlyList<IncidentSummary>> SubscribeIncidents() => JoinAgencyAsync(DashboardGroups.Agency(AgencyId));

    /// <summary>
    /// <see cref="SubscribeIncidents"/> for a wall screen: the agency's events arrive batched, one <c>events</c> message
    /// ([{name, payload}], in number order) per delivery from the agency's sequencer, and incident changes in them as
    /// <c>IncidentCard</c>s (what the list and the map show, a fourteenth of a view's bytes); <see cref="SubscribeIncident"/>
    /// adds the whole view of an incident the screen opens, as its own message under the same number.
    /// </summary>
    public Task<IReadOnlyList<IncidentSummary>> SubscribeIncidentCards()
    {
        if (Context.Items.TryAdd(WallScreenItem, AgencyId)) walls.Joined(AgencyId);
        return JoinAgencyAsync(DashboardGroups.AgencyCards(AgencyId));
    }

    public async Task UnsubscribeIncidents()
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, DashboardGroups.Agency(AgencyId));
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, DashboardGroups.AgencyCards(AgencyId));
        LeaveWall();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        LeaveWall();
        return base.OnDisconnectedAsync(exception);
    }

    private void LeaveWall()
    {
        if (Context.Items.Remove(WallScreenItem, out var agency)) walls.Left((string)agency!);
    }

    private async Task<IReadOnlyList<IncidentSummary>> JoinAgencyAsync(string group)
    {
        subscribed.Add(EventStreams.Agency(AgencyId));
        await Groups.AddToGroupAsync(Context.ConnectionId, group);
        var all = await grains.GetGrain<IIncidentDirectoryGrain>(0).ListAsync();
        return all.Where(i => i.Status != IncidentStatus.Closed && i.IsVisibleTo(AgencyId))
            .OrderBy(i => i.Priority).ThenByDescending(i => i.OpenedAt).ToArray();
    }

    /// <summary>One incident, if the caller's agency responds to it; returns its current state.</summary>
    public async Task<IncidentView> SubscribeIncident(string incidentId)
    {
        var view = await grains.GetGrain<IIncidentGrain>(incidentId).GetAsync()
            ?? throw new HubException($"There is no incident '{incidentId}'.");
        if (!view.IsVisibleTo(AgencyId)) throw new HubException("Your agency neither responds to this incident nor opened it.");
        await Groups.AddToGroupAsync(Context.ConnectionId, DashboardGroups.Incident(incidentId, AgencyId));
        return view.SharesPersonWith(AgencyId) ? view : view.WithoutPerson();
    }

    public Task UnsubscribeIncident(string incidentId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, DashboardGroups.Incident(incidentId, AgencyId));

    /// <summary>
    /// Camera status changes of one district within the caller's jurisdiction; returns the district's usage. The events carry
    /// <c>sequence</c> {stream: "district:CODE", …}: after a gap, read the cameras' statuses again (GET /cameras/compact).
    /// </summary>
    public async Task<DistrictUsage> SubscribeDistrict(string districtCode)
    {
        if (!served.Serves(districtCode)) throw new HubException(served.NoSuchDistrict(districtCode));
        var agency = await grains.GetGrain<IAgencyGrain>(AgencyId).GetAsync();
        if (agency is null || !agency.HasJurisdictionOver(districtCode)) throw new HubException("District is outside your agency's jurisdiction.");
        await JoinDistrictAsync(districtCode);
        return await grains.GetGrain<IDistrictGrain>(districtCode).GetUsageAsync();
    }

    /// <summary>
    /// <see cref="SubscribeDistrict"/> for many districts at once, as a dashboard subscribes to every district on its map on
    /// each (re)connect: one agency read for the lot and no usage reads. Joins the districts within the caller's
    /// jurisdiction and returns their codes; the others are not joined. A code this deployment does not serve refuses the call.
    /// </summary>
    public async Task<string[]> SubscribeDistricts(string[] districtCodes)
    {
        if (districtCodes is not { Length: > 0 }) throw new HubException("Name at least one district.");
        var codes = districtCodes.Distinct(StringComparer.Ordinal).ToArray();
        foreach (var code in codes)
            if (code is null || !served.Serves(code)) throw new HubException(code is null ? "A district code is missing." : served.NoSuchDistrict(code));
        var agency = await grains.GetGrain<IAgencyGrain>(AgencyId).GetAsync();
        var joined = agency is null ? [] : codes.Where(agency.HasJurisdictionOver).ToArray();
        foreach (var code in joined) await JoinDistrictAsync(code);
        return joined;
    }

    /// <summary>Joins a district's status stream, checked by the caller; its sequencer is asked for heartbeats from then on.</summary>
    private Task JoinDistrictAsync(string districtCode)
    {
        subscribed.Add(EventStreams.District(districtCode));
        return Groups.AddToGroupAsync(Context.ConnectionId, DashboardGroups.District(districtCode));
    }

    public Task UnsubscribeDistrict(string districtCode) => Groups.RemoveFromGroupAsync(Context.ConnectionId, DashboardGroups.District(districtCode));

    /// <summary>
    /// Misuse flags as they are raised and acknowledged: an auditor's own districts (a privacy officer), or every district
    /// (a city-wide auditor). Nobody else: flags name the people suspected. Returns the open flags in that scope. The events
    /// carry <c>sequence</c> {stream: "flags:CODE", …}: after a gap, read the flags again (GET /audit/flags).
    /// </summary>
    public async Task<IReadOnlyList<MisuseFlag>> SubscribeFlags()
    {
        if (!Context.User!.IsInRole(Roles.Auditor)) throw new HubException("Only auditors receive misuse flags.");
        var districts = await FlagScope.ForAsync(Context.User!, grains);
        foreach (var code in districts ?? served.Codes) subscribed.Add(EventStreams.Flags(code));
        if (districts is null)
        {
            subscribed.Add(EventStreams.AllFlags);
            await Groups.AddToGroupAsync(Context.ConnectionId, DashboardGroups.AllFlags);
        }
        else foreach (var code in districts) await Groups.AddToGroupAsync(Context.ConnectionId, DashboardGroups.DistrictFlags(code));
        return await grains.GetGrain<IMisuseFlagsGrain>(0).ListAsync(new FlagQuery(districts, FlagStatus.Open));
    }
}
