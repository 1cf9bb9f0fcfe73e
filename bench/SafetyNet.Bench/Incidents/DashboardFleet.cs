using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Bench.Incidents.WallScreens;
using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Bench.Incidents;

/// <summary>
/// Situation-room wall screens: SignalR connections on <c>/hubs/operations</c> (WebSockets, JWT as the access token; the
/// client library is the caller's choice, <see cref="WallScreenClientKind"/>), each subscribed to its agency's incidents as the dashboard's wall is (<c>SubscribeIncidentCards</c>: batched, incidents as
/// cards). Each records (incident id, Stopwatch timestamp) for every <c>incidentOpened</c> at the moment its batch's handler
/// runs; a payload is read only as far as its <c>id</c> and <c>sequence</c>. Like the dashboard,
/// each watches its agency's sequence and resyncs (subscribes again) on a gap or a new epoch; gaps and resyncs are counted.
/// </summary>
public sealed class DashboardFleet : IAsyncDisposable
{
    private readonly List<Dashboard> _dashboards = [];
    // Each incident id and reference is numbered once, and the dashboards record numbers. The node's collector shares this
    // process: 232 parsed copies of each string held millions of them alive, and then 1,000 record lists of references
    // (393 MB of a 917 MB heap, in a gcdump of the 200/s run) were traced at every gen2 collection and card-marked at
    // every record. A list of numbers is never traced.
    private readonly StringNumbers _strings = new();
    private long _opened;
    private long _granted;
    private int _closed;
    private int _gaps;
    private int _resyncs;

    public IReadOnlyList<Dashboard> Dashboards => _dashboards;

    /// <summary>incidentOpened messages received since the last <see cref="Reset"/>.</summary>
    public long OpenedReceived => Interlocked.Read(ref _opened);

    /// <summary>accessGranted messages received since the last <see cref="Reset"/> (they ride along with every opening).</summary>
    public long GrantedReceived => Interlocked.Read(ref _granted);

    /// <summary>Gaps (a skipped number, a new epoch, a heartbeat ahead) the dashboards saw, and resyncs they completed.</summary>
    public (int Gaps, int Resyncs) Sequence => (Volatile.Read(ref _gaps), Volatile.Read(ref _resyncs));

    /// <summary>Connections that closed (server timeout or error) while the benchmark ran.</summary>
    public int Disconnected => Volatile.Read(ref _closed);

    public static async Task<DashboardFleet> ConnectAsync(HttpClient http, IReadOnlyList<string> agencyPerDashboard, int parallel, WallScreenClientKind client)
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
                dashboards[index] = await Dashboard.ConnectAsync(fleet, index, agency, new Uri(http.BaseAddress!, "/hubs/operations"), token, client);
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

    /// <summary>
    /// Forgets everything recorded so far (the warm-up), so that only the measured run is analysed, and makes room for
    /// <paramref name="expectedPerDashboard"/> records each now: a list that grew during the run would allocate on the
    /// large-object heap there, and such allocations bring on the node's gen2 collections.
    /// </summary>
    public void Reset(int expectedPerDashboard = 0)
    {
        foreach (var dashboard in _dashboards) dashboard.Clear(expectedPerDashboard);
        _strings.Clear();
        Interlocked.Exchange(ref _opened, 0);
        Interlocked.Exchange(ref _granted, 0);
        Interlocked.Exchange(ref _gaps, 0);
        Interlocked.Exchange(ref _resyncs, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_dashboards.Select(d => d.Client.DisposeAsync().AsTask()));
    }

    public sealed class Dashboard : IWallScreenListener
    {
        private readonly object _gate = new();
        private readonly SequenceTracker _sequence = new();
        private readonly DashboardFleet _fleet;
        private List<Arrival> _opened = [];

        private Dashboard(DashboardFleet fleet, int index, string agencyId)
        {
            _fleet = fleet;
            Index = index;
            AgencyId = agencyId;
        }

        public int Index { get; }

        public string AgencyId { get; }

        public IWallScreenClient Client { get; private set; } = null!;

        public IReadOnlyList<(string IncidentId, string? ExternalReference, long At)> Opened
        {
            get
            {
                Arrival[] arrivals;
                lock (_gate) arrivals = _opened.ToArray();
                return Array.ConvertAll(arrivals, a => (_fleet._strings[a.Id], a.Reference < 0 ? null : _fleet._strings[a.Reference], a.At));
            }
        }

        internal static async Task<Dashboard> ConnectAsync(DashboardFleet fleet, int index, string agencyId, Uri hub, string token, WallScreenClientKind kind)
        {
            var dashboard = new Dashboard(fleet, index, agencyId);
            dashboard.Client = await WallScreenClients.ConnectAsync(kind, hub, token, dashboard);
            await dashboard.Client.SubscribeAsync();
            return dashboard;
        }

        public void OnEvent(WallScreenEvent e, long arrivedAt)
        {
            switch (e.Name)
            {
                case DashboardEventNames.IncidentOpened:
                    var arrival = new Arrival(_fleet._strings.NumberOf(e.Id!), e.ExternalReference is { } r ? _fleet._strings.NumberOf(r) : -1, arrivedAt);
                    lock (_gate) _opened.Add(arrival);
                    Interlocked.Increment(ref _fleet._opened);
                    break;
                case DashboardEventNames.AccessGranted:
                    Interlocked.Increment(ref _fleet._granted);
                    break;
            }
            Track(e.Sequence, isHeartbeat: e.Name == DashboardEventNames.SequencePosition);
        }

        public void OnClosed() => Interlocked.Increment(ref _fleet._closed);

        private void Track(EventSequence? sequence, bool isHeartbeat)
        {
            if (!_sequence.Observe(sequence, isHeartbeat)) return;
            Interlocked.Increment(ref _fleet._gaps);
            // Not awaited: the handler must return before the answer to this call can be read.
            _ = Client.SubscribeAsync().ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully) Interlocked.Increment(ref _fleet._resyncs);
            }, TaskScheduler.Default);
        }

        internal void Clear(int capacity)
        {
            lock (_gate) _opened = new List<Arrival>(capacity);
        }

        /// <summary>One incidentOpened: the numbers of its id and reference (-1: none), and its Stopwatch timestamp.</summary>
        private readonly record struct Arrival(int Id, int Reference, long At);
    }
}
