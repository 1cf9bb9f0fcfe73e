using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace SafetyNet.Bench.Incidents;

/// <summary>
/// Situation-room dashboards: real SignalR clients on <c>/hubs/operations</c> (WebSockets, JWT as the access token), each
/// subscribed to its agency's incidents. Each records (incident id, Stopwatch timestamp) for every <c>incidentOpened</c>
/// at the moment its handler runs; the payload is read only as far as its <c>id</c>.
/// </summary>
public sealed class DashboardFleet : IAsyncDisposable
{
    private readonly List<Dashboard> _dashboards = [];
    private long _opened;
    private long _granted;
    private int _closed;

    public IReadOnlyList<Dashboard> Dashboards => _dashboards;

    /// <summary>incidentOpened messages received since the last <see cref="Reset"/>.</summary>
    public long OpenedReceived => Interlocked.Read(ref _opened);

    /// <summary>accessGranted messages received since the last <see cref="Reset"/> (they ride along with every opening).</summary>
    public long GrantedReceived => Interlocked.Read(ref _granted);

    /// <summary>Connections that closed (server timeout or error) while the benchmark ran.</summary>
    public int Disconnected => Volatile.Read(ref _closed);

    public static async Task<DashboardFleet> ConnectAsync(HttpClient http, IReadOnlyList<string> agencyPerDashboard, int parallel)
    {
        var fleet = new DashboardFleet();
        var dashboards = new Dashboard[agencyPerDashboard.Count];
        using var gate = new SemaphoreSlim(parallel);
        await Task.WhenAll(agencyPerDashboard.Select(async (agency, index) =>
        {
            await gate.WaitAsync();
            try
            {
                var token = await TokenAsync(http, agency, $"bench-dashboard-{index}", "operator");
                dashboards[index] = await Dashboard.ConnectAsync(fleet, index, agency, new Uri(http.BaseAddress!, "/hubs/operations"), token);
            }
            finally
            {
                gate.Release();
            }
        }));
        fleet._dashboards.AddRange(dashboards);
        return fleet;
    }

    public static async Task<string> TokenAsync(HttpClient http, string agencyId, string operatorId, string role)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { agencyId, operatorId, role });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>Forgets everything recorded so far (the warm-up), so that only the measured run is analysed.</summary>
    public void Reset()
    {
        foreach (var dashboard in _dashboards) dashboard.Clear();
        Interlocked.Exchange(ref _opened, 0);
        Interlocked.Exchange(ref _granted, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_dashboards.Select(d => d.Connection.DisposeAsync().AsTask()));
    }

    public sealed class Dashboard
    {
        private readonly object _gate = new();
        private List<(string IncidentId, string? ExternalReference, long At)> _opened = new(capacity: 16_384);

        private Dashboard(int index, string agencyId, HubConnection connection)
        {
            Index = index;
            AgencyId = agencyId;
            Connection = connection;
        }

        public int Index { get; }

        public string AgencyId { get; }

        public HubConnection Connection { get; }

        public IReadOnlyList<(string IncidentId, string? ExternalReference, long At)> Opened
        {
            get
            {
                lock (_gate) return _opened.ToArray();
            }
        }

        internal static async Task<Dashboard> ConnectAsync(DashboardFleet fleet, int index, string agencyId, Uri hub, string token)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(hub, HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .Build();
            var dashboard = new Dashboard(index, agencyId, connection);
            connection.On<IncidentId>("incidentOpened", payload =>
            {
                var at = Stopwatch.GetTimestamp();
                lock (dashboard._gate) dashboard._opened.Add((payload.Id, payload.ExternalReference, at));
                Interlocked.Increment(ref fleet._opened);
            });
            connection.On<Ignored>("accessGranted", _ => Interlocked.Increment(ref fleet._granted));
            connection.Closed += _ =>
            {
                Interlocked.Increment(ref fleet._closed);
                return Task.CompletedTask;
            };
            await connection.StartAsync();
            await connection.InvokeAsync<JsonElement>("SubscribeIncidents");
            return dashboard;
        }

        internal void Clear()
        {
            lock (_gate) _opened = new List<(string, string?, long)>(capacity: 16_384);
        }
    }

    /// <summary>Only the incident's id and external reference are bound; the rest of the IncidentView payload is skipped by the parser.</summary>
    private sealed record IncidentId(string Id, string? ExternalReference);

    private sealed record Ignored;
}
