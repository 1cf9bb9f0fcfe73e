using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>
/// A dashboard as a real SignalR client of one agency: keeps the set of incidents it believes open (not closed) from the
/// events, watches the agency's sequence, and on a gap or a new epoch resyncs by subscribing again, as the dashboard does.
/// A resync never undoes what events said after it began.
/// </summary>
public sealed class IncidentWatcher : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] AgencyEvents =
    [
        DashboardEventNames.IncidentOpened, DashboardEventNames.IncidentUpdated, DashboardEventNames.IncidentClosed, DashboardEventNames.AccessGranted,
        DashboardEventNames.AccessRevoked, DashboardEventNames.LeaseRevoked, DashboardEventNames.PtzPreempted,
    ];

    private readonly object _gate = new();
    private readonly SequenceTracker _sequence = new();
    private readonly Dictionary<string, (bool Open, long Touched)> _incidents = new(StringComparer.Ordinal);
    private long _generation;
    private int _resyncsStarted;
    private int _resyncsDone;

    private readonly string _subscribe;

    private IncidentWatcher(string agencyId, HubConnection connection, bool wall)
    {
        AgencyId = agencyId;
        Connection = connection;
        _subscribe = wall ? "SubscribeIncidentCards" : "SubscribeIncidents";
    }

    public string AgencyId { get; }

    public HubConnection Connection { get; }

    public int Resyncs => Volatile.Read(ref _resyncsDone);

    public bool Resyncing => Volatile.Read(ref _resyncsStarted) != Volatile.Read(ref _resyncsDone);

    public IReadOnlySet<string> Open
    {
        get
        {
            lock (_gate) return _incidents.Where(i => i.Value.Open).Select(i => i.Key).ToHashSet();
        }
    }

    /// <summary>A console (whole views, one message per event) or, with <paramref name="wall"/>, a wall screen (batched cards).</summary>
    public static async Task<IncidentWatcher> StartAsync(string baseUrl, string agencyId, string token, bool wall = false)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl($"{baseUrl}/hubs/operations", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var watcher = new IncidentWatcher(agencyId, connection, wall);
        foreach (var name in AgencyEvents) connection.On<JsonElement>(name, payload => watcher.OnEvent(name, payload));
        connection.On<JsonElement>(DashboardEventNames.SequencePosition, payload => watcher.Track(payload, isHeartbeat: true));
        connection.On<JsonElement>(DashboardEventNames.Batch, batch =>
        {
            foreach (var e in batch.EnumerateArray())
            {
                var name = e.GetProperty("name").GetString()!;
                if (name == DashboardEventNames.SequencePosition) watcher.Track(e.GetProperty("payload"), isHeartbeat: true);
                else watcher.OnEvent(name, e.GetProperty("payload"));
            }
        });
        await connection.StartAsync();
        watcher.Apply(await connection.InvokeAsync<JsonElement[]>(watcher._subscribe), since: 0);
        return watcher;
    }

    /// <summary>What the directory lists for this agency now, read on a fresh call.</summary>
    public async Task<IReadOnlySet<string>> DirectoryAsync() =>
        (await Connection.InvokeAsync<JsonElement[]>(_subscribe)).Select(i => i.GetProperty("id").GetString()!).ToHashSet();

    private void OnEvent(string name, JsonElement payload)
    {
        if (name is DashboardEventNames.IncidentOpened or DashboardEventNames.IncidentUpdated or DashboardEventNames.IncidentClosed)
        {
            lock (_gate) _incidents[payload.GetProperty("id").GetString()!] = (payload.GetProperty("status").GetString() != "closed", ++_generation);
        }
        // The end of the closing grace is said only this way (as the dashboard's incidentAccessEnded reads it).
        if (name == DashboardEventNames.AccessRevoked && payload.GetProperty("reason").GetString() == "incident-closed")
        {
            lock (_gate) _incidents[payload.GetProperty("incidentId").GetString()!] = (false, ++_generation);
        }
        Track(payload, isHeartbeat: false);
    }

    private void Track(JsonElement payload, bool isHeartbeat)
    {
        var sequence = payload.TryGetProperty("sequence", out var s) ? s.Deserialize<EventSequence>(Json) : null;
        bool gap;
        lock (_gate) gap = _sequence.Observe(sequence, isHeartbeat);
        // Not awaited: a handler that waited for a hub call would hold up the very messages that call's answer follows.
        if (gap) _ = ResyncAsync();
    }

    private async Task ResyncAsync()
    {
        Interlocked.Increment(ref _resyncsStarted);
        try
        {
            long since;
            lock (_gate) since = _generation;
            Apply(await Connection.InvokeAsync<JsonElement[]>(_subscribe), since);
        }
        finally
        {
            Interlocked.Increment(ref _resyncsDone);
        }
    }

    private void Apply(JsonElement[] listed, long since)
    {
        var current = listed.Select(i => i.GetProperty("id").GetString()!).ToHashSet();
        lock (_gate)
        {
            foreach (var (id, entry) in _incidents.ToArray())
                if (entry.Touched <= since && entry.Open && !current.Contains(id)) _incidents[id] = (false, entry.Touched);
            foreach (var id in current)
                if (!_incidents.TryGetValue(id, out var entry) || entry.Touched <= since) _incidents[id] = (true, entry.Touched);
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
