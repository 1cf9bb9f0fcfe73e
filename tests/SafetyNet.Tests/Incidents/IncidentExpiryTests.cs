using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>A forgotten incident is closed by its durable watchdog reminder, even when the node restarted in between.</summary>
public sealed class IncidentExpiryTests
{
    private static readonly Dictionary<string, string?> ShortLived = new()
    {
        ["Incidents:Types:vulnerable-sos:MaxDuration"] = "00:00:04",
        ["Incidents:ClosingGrace"] = "00:00:01",
        ["Incidents:WatchdogPeriod"] = "00:00:02",
    };

    [Fact]
    public async Task The_watchdog_closes_a_forgotten_incident_after_a_node_restart()
    {
        var first = await TestNode.StartAsync(3_000, extra: ShortLived);
        var directory = first.DataDirectory;
        string id;
        try
        {
            var dispatcher = await first.TokenAsync("seoul-sos-center", "sos-app", "dispatch-system");
            using var opened = await first.SendAsync(HttpMethod.Post, "/api/v1/incidents", dispatcher,
                JsonContent.Create(new { type = "vulnerable-sos", latitude = 37.6543, longitude = 127.0568, description = "child pressed SOS on wearable" }));
            Assert.Equal(201, (int)opened.StatusCode);
            id = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = await TestNode.StartAsync(3_000, directory, ShortLived);
        try
        {
            var admin = await second.TokenAsync("safetynet-ops", "root", "platform-admin");
            // Poll the directory, not the incident: reading the incident would activate it, and the point is that the reminder does.
            await Eventually.WaitAsync(async () =>
                {
                    using var response = await second.SendAsync(HttpMethod.Get, "/api/v1/incidents?status=closed", admin);
                    return await response.Content.ReadFromJsonAsync<JsonElement>();
                },
                list => list.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetString() == id),
                TimeSpan.FromSeconds(30), "the watchdog reminder to close and finish the incident after the restart");
            using var detail = await second.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{id}", admin);
            var closed = await detail.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains(closed.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("text").GetString()!.Contains("expired"));
            Assert.All(closed.GetProperty("grants").EnumerateArray(), g => Assert.True(g.GetProperty("expiresAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow));
        }
        finally
        {
            await second.DisposeAsync();
            second.DeleteData();
        }
    }
}
