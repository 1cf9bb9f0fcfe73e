using Microsoft.AspNetCore.SignalR;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Api.Hubs;

/// <summary>
/// This node's observer: routes each event of a batch to the SignalR groups of its audience, once per group set, one after
/// another so that a connection receives an agency's numbered events in their order. An event with a card sends the card to
/// the agencies' wall screens first, then the whole payload to the rest (a screen that opened the incident hears both, under
/// one number).
/// </summary>
public sealed class DashboardEventForwarder(IHubContext<OperationsHub> hub) : INodeEventsObserver
{
    public async Task OnEventsAsync(DashboardEvent[] events)
    {
        foreach (var e in events)
        {
            if (e.CardJson is not null) await hub.Clients.Groups(CardAudience(e)).SendAsync(e.Name, new RawJsonPayload(e.CardJson));
            await hub.Clients.Groups(Audience(e)).SendAsync(e.Name, new RawJsonPayload(e.PayloadJson));
        }
    }

    private static List<string> CardAudience(DashboardEvent e) => e.Agencies.Select(DashboardGroups.AgencyCards).ToList();

    private static List<string> Audience(DashboardEvent e)
    {
        var groups = new List<string>();
        if (e.AuditorsOnly)
        {
            groups.Add(DashboardGroups.AllFlags);
            if (e.DistrictCode is not null) groups.Add(DashboardGroups.DistrictFlags(e.DistrictCode));
            return groups;
        }
        foreach (var agency in e.Agencies)
        {
            groups.Add(DashboardGroups.Agency(agency));
            if (e.CardJson is null) groups.Add(DashboardGroups.AgencyCards(agency));
            if (e.IncidentId is not null) groups.Add(DashboardGroups.Incident(e.IncidentId, agency));
        }
        if (e.Agencies.Length == 0 && e.DistrictCode is not null) groups.Add(DashboardGroups.District(e.DistrictCode));
        return groups;
    }
}
