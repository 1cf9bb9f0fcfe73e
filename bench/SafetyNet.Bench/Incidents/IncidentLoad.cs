using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Contracts.Geo;

namespace SafetyNet.Bench.Incidents;

/// <summary>
/// Open-loop incident load: POST /api/v1/incidents on a fixed schedule (incident i is due at start + i / rate), whether or
/// not earlier ones have answered, as a dispatch system would. Records for each incident when it was due, when its POST
/// was handed to the HTTP client, when the answer came, the status, and the incident's id and responding agencies.
/// </summary>
public sealed class IncidentLoad(HttpClient http, string dispatchToken, string runId)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The externalReference incident <paramref name="sequence"/> is opened with (it comes back in every incidentOpened).</summary>
    public string ReferenceOf(int sequence) => $"{runId}-{sequence}";

    public sealed class Outcome
    {
        public int Sequence { get; init; }
        public long DueAt { get; init; }
        public long SentAt { get; set; }
        public long AnsweredAt { get; set; }
        public HttpStatusCode? Status { get; set; }
        public string? Error { get; set; }
        public string? IncidentId { get; set; }
        public string[] Agencies { get; set; } = [];
        public int Cameras { get; set; }

        public bool Opened => Status == HttpStatusCode.Created && IncidentId is not null;
    }

    /// <summary>
    /// Sends <paramref name="count"/> incidents at <paramref name="perSecond"/>; returns once all are answered or
    /// <paramref name="drain"/> after the last was sent (the rest are cancelled and recorded as such).
    /// </summary>
    public async Task<Outcome[]> RunAsync(GeoPoint[] points, int firstSequence, int count, double perSecond, TimeSpan drain)
    {
        var outcomes = new Outcome[count];
        var tasks = new Task[count];
        using var cancel = new CancellationTokenSource();
        var start = Stopwatch.GetTimestamp();
        var ticksPerIncident = Stopwatch.Frequency / perSecond;
        for (var i = 0; i < count;)
        {
            var now = Stopwatch.GetTimestamp();
            for (; i < count && start + (long)(i * ticksPerIncident) <= now; i++)
            {
                outcomes[i] = new Outcome { Sequence = firstSequence + i, DueAt = start + (long)(i * ticksPerIncident) };
                tasks[i] = SendAsync(outcomes[i], points[(firstSequence + i) % points.Length], cancel.Token);
            }
            if (i < count) await Task.Delay(1);
        }
        try
        {
            await Task.WhenAll(tasks).WaitAsync(drain);
        }
        catch (TimeoutException)
        {
            await cancel.CancelAsync();
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
        return outcomes;
    }

    /// <summary>Closed loop: one incident at a time (each POST waits for the previous answer) for <paramref name="duration"/>.</summary>
    public async Task<Outcome[]> RunOneAtATimeAsync(GeoPoint[] points, int firstSequence, TimeSpan duration)
    {
        var outcomes = new List<Outcome>();
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; Stopwatch.GetTimestamp() < deadline; i++)
        {
            var outcome = new Outcome { Sequence = firstSequence + i, DueAt = Stopwatch.GetTimestamp() };
            outcomes.Add(outcome);
            await SendAsync(outcome, points[(firstSequence + i) % points.Length], CancellationToken.None);
        }
        return outcomes.ToArray();
    }

    private async Task SendAsync(Outcome outcome, GeoPoint point, CancellationToken cancellationToken)
    {
        await Task.Yield(); // let the schedule loop go on; the POST runs on the thread pool
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents")
        {
            Content = JsonContent.Create(new
            {
                type = "112-emergency-video",
                latitude = point.Latitude,
                longitude = point.Longitude,
                priority = 1 + outcome.Sequence % 3,
                externalReference = ReferenceOf(outcome.Sequence),
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", dispatchToken);
        try
        {
            outcome.SentAt = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            outcome.AnsweredAt = Stopwatch.GetTimestamp();
            outcome.Status = response.StatusCode;
            if (response.StatusCode != HttpStatusCode.Created) return;
            var view = await response.Content.ReadFromJsonAsync<OpenedIncident>(Json, cancellationToken);
            outcome.IncidentId = view?.Id;
            outcome.Agencies = view?.Agencies ?? [];
            outcome.Cameras = view?.Cameras?.Length ?? 0;
        }
        catch (Exception e)
        {
            outcome.AnsweredAt = Stopwatch.GetTimestamp();
            outcome.Error = cancellationToken.IsCancellationRequested ? "cancelled at the drain limit" : e.GetType().Name;
        }
    }

    private sealed record OpenedIncident(string Id, string[] Agencies, CameraRef[]? Cameras);

    private sealed record CameraRef(string CameraId);
}
