using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Api.Hubs;

/// <summary>
/// This node's observer: routes a sequencer's batch to the SignalR groups of its audience, in order, so that a connection
/// receives a stream's numbered events in their order. An agency's wall screens get the whole batch as one
/// <see cref="DashboardEventNames.Batch"/> message, incidents as cards; then each event goes on its own to the other groups
/// (whole views to the agency's consoles and to the screens that opened the incident, which so hear an incident's card and
/// then its view under one number).
/// </summary>
public sealed class DashboardEventForwarder(IHubContext<OperationsHub> hub, WallScreens walls) : INodeEventsObserver
{
    public async Task OnEventsAsync(DashboardEvent[] events)
    {
        foreach (var (group, batch) in WallBatches(events)) await hub.Clients.Group(group).SendAsync(DashboardEventNames.Batch, batch);
        foreach (var e in events) await hub.Clients.Groups(Audience(e)).SendAsync(e.Name, new RawJsonPayload(e.PayloadJson));
    }

    /// <summary>Per wall group with a screen on this node, its events of this batch as one JSON array of {name, payload}, in order.</summary>
    private IEnumerable<(string Group, RawJsonPayload Batch)> WallBatches(DashboardEvent[] events)
    {
        var batches = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.AuditorsOnly) continue;
            foreach (var agency in e.Agencies.Where(walls.AnyFor))
            {
                var group = DashboardGroups.AgencyCards(agency);
                if (!batches.TryGetValue(group, out var json)) batches[group] = json = new StringBuilder("[");
                else json.Append(',');
                json.Append("{\"name\":").Append(JsonSerializer.Serialize(e.Name)).Append(",\"payload\":").Append(e.CardJson ?? e.PayloadJson).Append('}');
            }
        }
        return batches.Select(b => (b.Key, new RawJsonPayload(b.Value.Append(']').ToString())));
    }

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
            if (e.IncidentId is not null) groups.Add(DashboardGroups.Incident(e.IncidentId, agency));
        }
        if (e.Agencies.Length == 0 && e.DistrictCode is not null) groups.Add(DashboardGroups.District(e.DistrictCode));
        return groups;
    }
}
