using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SafetyNet.Bench.Video;

/// <summary>The REST calls the video benchmarks make as a district admin, a dispatch system or an operator would.</summary>
public static class NodeApi
{
    public const string JungGu = "11020";
    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(50);

    public sealed record BenchCamera(string Id, double Latitude, double Longitude, string StreamUrl);

    public static double Percentile(IEnumerable<double> values, double quantile)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Max(0, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
    }

    public static async Task<(string LeaseId, string PlaylistUrl)> LeaseAsync(HttpClient http, string token, string cameraId)
    {
        using var response = await SendAsync(http, HttpMethod.Post, $"/api/v1/cameras/{cameraId}/leases", token, JsonContent.Create(new { purpose = "monitoring" }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"Lease on {cameraId} refused: {(int)response.StatusCode} {body}");
        return (body.GetProperty("leaseId").GetString()!, body.GetProperty("playlistUrl").GetString()!);
    }

    public static async Task ReleaseAsync(HttpClient http, string token, string leaseId)
    {
        using var _ = await SendAsync(http, HttpMethod.Delete, $"/api/v1/leases/{leaseId}", token);
    }

    public static async Task ImportAsync(HttpClient http, string admin, IEnumerable<BenchCamera> cameras)
    {
        var csv = new StringBuilder("id,district,lat,lon,purpose,stream_url\n");
        foreach (var c in cameras)
            csv.Append(CultureInfo.InvariantCulture, $"{c.Id},{JungGu},{c.Latitude:F6},{c.Longitude:F6},crime-prevention,{c.StreamUrl}\n");
        using var response = await SendAsync(http, HttpMethod.Post, "/api/v1/cameras/import", admin, new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        var report = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Import failed: {(int)response.StatusCode} {report}");
        Console.WriteLine($"Import answer: {report}\n");
        await Task.Delay(TimeSpan.FromSeconds(2)); // the silo-local camera index refreshes every second
    }

    public static async Task<string> TokenAsync(HttpClient http, string agencyId, string operatorId, string role)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { agencyId, operatorId, role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    public static async Task<string> SessionAsync(HttpClient http, string agencyId, string operatorId)
    {
        var token = await TokenAsync(http, agencyId, operatorId, "operator");
        using var response = await SendAsync(http, HttpMethod.Post, "/api/v1/sessions", token);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    public static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    public static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            if (condition()) return true;
            await Task.Delay(PollPeriod);
        }
        return condition();
    }
}
