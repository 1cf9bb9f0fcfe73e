using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Api.Hubs;

/// <summary>This node's observer: routes each event of a batch to the SignalR groups of its audience, once per group set.</summary>
public sealed class DashboardEventForwarder(IHubContext<OperationsHub> hub) : INodeEventsObserver
{
    public Task OnEventsAsync(DashboardEvent[] events) => Task.WhenAll(events.Select(e =>
    {
        var groups = new List<string>();
        if (e.AuditorsOnly)
        {
            groups.Add(DashboardGroups.AllFlags);
            if (e.DistrictCode is not null) groups.Add(DashboardGroups.DistrictFlags(e.DistrictCode));
            return Send(groups, e);
        }
        foreach (var agency in e.Agencies)
        {
            groups.Add(DashboardGroups.Agency(agency));
            if (e.IncidentId is not null) groups.Add(DashboardGroups.Incident(e.IncidentId, agency));
        }
        if (e.Agencies.Length == 0 && e.DistrictCode is not null) groups.Add(DashboardGroups.District(e.DistrictCode));
        return Send(groups, e);
    }));

    private Task Send(List<string> groups, DashboardEvent e)
    {
        using var payload = JsonDocument.Parse(e.PayloadJson);
        return hub.Clients.Groups(groups).SendAsync(e.Name, payload.RootElement.Clone());
    }
}
