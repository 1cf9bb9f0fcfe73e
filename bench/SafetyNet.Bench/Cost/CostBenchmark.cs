using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Bench.Hosting;
using SafetyNet.Bench.Measurement;

namespace SafetyNet.Bench.Cost;

/// <summary>
/// What one operation costs the node, counted rather than timed: SQL commands by kind, rows written by table, grain
/// calls by interface, audit entries and commits, and CPU time, per incident opened, per incident closed, and per
/// access decision on a camera not yet active (cold) and on one already active (warm). Everything goes through the
/// REST API, as dispatch systems and consoles do, on an in-process node (embedded SQLite, pre-warm off). The node's
/// background work, measured while idle, is subtracted pro rata.
/// </summary>
public static class CostBenchmark
{
    private const int Callers = 8;
    // Orleans' ADO.NET storage and reminders open plain SqliteConnections, so their commands are counted by Orleans'
    // storage meters (one per grain-state read or write); their rows still show in the tables' written rows.
    private const string AllCommands = "db commands with grain state: total";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(6);

    public static async Task RunAsync(string[] args)
    {
        var incidents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var decisions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4000;
        if (incidents is < 1 or > 5000 || decisions is < Callers or > 25_000) throw new ArgumentException("incidents 1-5000, decisions 8-25000");
        Console.WriteLine($"## cost: per-operation cost, {incidents} incidents opened and closed, {decisions} decisions cold and warm\n");
        var machine = MachineLoad.Start();
        using var counters = new CostCounters();
        await using var node = await InProcessNode.StartSeededAsync(new Dictionary<string, string?>
        {
            ["Leases:PrewarmCount"] = "0",
            ["Incidents:ClosingGrace"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Critical",
        });
        Console.WriteLine($"In-process node (embedded SQLite, Leases:PrewarmCount 0) started and seeded in {node.Startup.TotalSeconds:F1} s.\n");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = node.BaseAddress };
        var api = new CostApi(http);
        var dispatch = await api.TokenAsync("seoul-112", "bench-cost-dispatch", "dispatch-system");
        var operatorToken = await api.TokenAsync("seoul-112", "bench-cost-operator", "operator");
        var sessions = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => api.SessionTokenAsync(operatorToken)));
        await Task.Delay(Settle);

        var phases = new List<Phase>();
        async Task Measure(string name, int operations, Func<Task<int>> run)
        {
            var before = counters.Snapshot();
            var started = Stopwatch.GetTimestamp();
            var failures = await run();
            await Task.Delay(Settle);
            phases.Add(new Phase(name, operations, failures, Stopwatch.GetElapsedTime(started), Difference(counters.Snapshot(), before)));
        }

        await Measure("idle", 0, async () => { await Task.Delay(Idle); return 0; });
        var opened = new List<string>();
        await Measure("incident opened", incidents, async () =>
        {
            var random = new Random(112);
            for (var i = 0; i < incidents; i++)
                if (await api.OpenIncidentAsync(dispatch, 37.50 + random.NextDouble() * 0.10, 126.95 + random.NextDouble() * 0.10, $"bench-cost-{i}") is { } id)
                    opened.Add(id);
            return incidents - opened.Count;
        });
        await Measure("incident closed", opened.Count, async () =>
        {
            var failures = 0;
            foreach (var id in opened) failures += await api.CloseIncidentAsync(dispatch, id) ? 0 : 1;
            return failures;
        });
        var cameras = CameraIds(decisions);
        foreach (var phase in new[] { "decision, cold camera", "decision, warm camera" })
            await Measure(phase, decisions, async () =>
            {
                var failures = 0;
                await Parallel.ForAsync(0, Callers, async (caller, _) =>
                {
                    for (var i = caller; i < cameras.Length; i += Callers)
                        if (!await api.DecideAsync(sessions[caller], cameras[i])) Interlocked.Increment(ref failures);
                });
                return failures;
            });

        Report(phases);
        Console.WriteLine($"Machine during the run: {machine.Describe()}\n");
    }

    private sealed record Phase(string Name, int Operations, int Failures, TimeSpan Elapsed, Dictionary<string, long> Counts);

    private static void Report(List<Phase> phases)
    {
        var idle = phases[0];
        var measured = phases.Skip(1).ToArray();
        var table = new MarkdownTable(["per operation", "idle, per s", .. measured.Select(p => $"per {p.Name}")]);
        foreach (var phase in phases)
            phase.Counts[AllCommands] = phase.Counts.GetValueOrDefault("db commands: total")
                + phase.Counts.Where(c => c.Key.StartsWith("orleans storage: ", StringComparison.Ordinal)).Sum(c => c.Value);
        var keys = phases.SelectMany(p => p.Counts.Keys).Distinct().OrderBy(k => k == "cpu µs" ? "0" : k, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var idleRate = idle.Counts.GetValueOrDefault(key) / idle.Elapsed.TotalSeconds;
            var perOperation = measured.Select(p => Round(Math.Max(0, p.Counts.GetValueOrDefault(key) - idleRate * p.Elapsed.TotalSeconds) / p.Operations)).ToArray();
            if (Round(idleRate) == 0 && perOperation.All(v => v == 0)) continue; // start-up work only (schema, seeding)
            table.Add([key, Round(idleRate), .. perOperation.Cast<object>()]);
        }
        Console.WriteLine("### Cost per operation (idle background subtracted pro rata; cpu µs is this whole process: node and HTTP client)\n");
        Console.WriteLine(table);
        Console.WriteLine(string.Join("; ", measured.Select(p =>
            $"{p.Name}: {p.Operations:N0} operations, {p.Failures} failed, phase {p.Elapsed.TotalSeconds:F1} s incl. {Settle.TotalSeconds:F0} s settle")) + "\n");
    }

    private static double Round(double value) => Math.Round(value, 3);

    private static Dictionary<string, long> Difference(Dictionary<string, long> after, Dictionary<string, long> before) =>
        after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key));

    /// <summary>Distinct demo cameras spread over the 25 districts (every district has at least 1,000 at 68,000 cameras).</summary>
    private static string[] CameraIds(int count)
    {
        var ids = Enumerable.Range(0, 25).SelectMany(d => Enumerable.Range(1, 1000).Select(n => $"{11010 + d * 10}-{n:D5}")).ToArray();
        new Random(14).Shuffle(ids);
        return ids[..count];
    }

    /// <summary>The REST calls the benchmark makes, each answering whether it succeeded.</summary>
    private sealed class CostApi(HttpClient http)
    {
        private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

        public async Task<string> TokenAsync(string agencyId, string operatorId, string role)
        {
            using var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { agencyId, operatorId, role });
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<Token>(Json))!.AccessToken;
        }

        public async Task<string> SessionTokenAsync(string operatorToken)
        {
            using var response = await SendAsync(HttpMethod.Post, "/api/v1/sessions", operatorToken, new { });
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<Token>(Json))!.AccessToken;
        }

        public async Task<string?> OpenIncidentAsync(string token, double latitude, double longitude, string reference)
        {
            using var response = await SendAsync(HttpMethod.Post, "/api/v1/incidents", token,
                new { type = "112-emergency-video", latitude, longitude, priority = 2, externalReference = reference });
            return response.StatusCode == HttpStatusCode.Created ? (await response.Content.ReadFromJsonAsync<Opened>(Json))?.Id : null;
        }

        public async Task<bool> CloseIncidentAsync(string token, string id)
        {
            using var response = await SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/close", token, new { reason = "resolved" });
            return response.IsSuccessStatusCode;
        }

        public async Task<bool> DecideAsync(string token, string cameraId)
        {
            using var response = await SendAsync(HttpMethod.Get, $"/api/v1/cameras/{cameraId}/access", token, null);
            return response.IsSuccessStatusCode;
        }

        private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return http.SendAsync(request);
        }

        private sealed record Token(string AccessToken);

        private sealed record Opened(string Id);
    }
}
