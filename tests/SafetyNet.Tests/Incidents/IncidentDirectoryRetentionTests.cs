using System.Text.Json;
using SafetyNet.Contracts.Geo;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Incidents;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>
/// Issue 11, item 8: incident lists keep a closed incident for a day after it closed, however long it was open (a 72-hour
/// disaster incident), and drop it after that day.
/// </summary>
public sealed class IncidentDirectoryRetentionTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Incidents:ClosingGrace"] = "00:00:00",
        // No watchdog tick during the test: it would write the incidents' own times back over the aged rows.
        ["Incidents:WatchdogPeriod"] = "01:00:00",
    };

    [Fact]
    public async Task An_incident_opened_days_ago_and_closed_now_lists_as_closed_and_one_closed_over_a_day_ago_does_not()
    {
        var node = await TestNode.StartAsync(2_000, extra: Settings);
        var directory = node.DataDirectory;
        string closedNow, closedLongAgo;
        try
        {
            var cad = await node.TokenAsync("seoul-112", "cad-retention", "dispatch-system");
            closedNow = await OpenAndCloseAsync(node, cad);
            closedLongAgo = await OpenAndCloseAsync(node, cad);
        }
        finally
        {
            await node.DisposeAsync();
        }

        // Both were opened three days ago (as a disaster incident may be); the second also closed 25 hours ago.
        var now = DateTimeOffset.UtcNow;
        await AgeAsync(Path.Combine(directory, "safetynet.db"), closedNow, openedAt: now.AddDays(-3), closedAt: null);
        await AgeAsync(Path.Combine(directory, "safetynet.db"), closedLongAgo, openedAt: now.AddDays(-3), closedAt: now.AddHours(-25));

        node = await TestNode.StartAsync(2_000, directory, Settings);
        try
        {
            var cad = await node.TokenAsync("seoul-112", "cad-retention", "dispatch-system");
            var closed = (await node.GetJsonAsync("/api/v1/incidents?status=closed", cad)).GetProperty("items").EnumerateArray()
                .ToDictionary(i => i.GetProperty("id").GetString()!);
            Assert.True(closed.TryGetValue(closedNow, out var listed), $"{closedNow} is not listed as closed");
            Assert.True(listed.GetProperty("openedAt").GetDateTimeOffset() < now.AddDays(-2));
            Assert.True(listed.GetProperty("closedAt").GetDateTimeOffset() > now.AddHours(-1));
            Assert.DoesNotContain(closedLongAgo, closed.Keys);
            // Still readable by id, only no longer listed.
            Assert.Equal("closed", (await node.GetJsonAsync($"/api/v1/incidents/{closedLongAgo}", cad)).GetProperty("status").GetString());
        }
        finally
        {
            await node.DisposeAsync();
            node.DeleteData();
        }
    }

    [Fact]
    public void The_list_keeps_open_and_closing_incidents_and_closed_ones_by_their_closing_time()
    {
        var now = new DateTimeOffset(2026, 3, 4, 9, 0, 0, TimeSpan.Zero);
        var cutoff = now.AddDays(-1);
        var openedLongAgo = new IncidentSummary("inc-1", IncidentType.DisasterResponse, IncidentStatus.Open, "11020", 1, new GeoPoint(37.56, 126.99),
            now.AddHours(-72), ["seoul-disaster-room"], null);

        Assert.True(IncidentDirectoryGrain.IsListed(openedLongAgo, cutoff));
        Assert.True(IncidentDirectoryGrain.IsListed(openedLongAgo with { Status = IncidentStatus.Closing, ClosedAt = now.AddDays(-2) }, cutoff));
        Assert.True(IncidentDirectoryGrain.IsListed(openedLongAgo with { Status = IncidentStatus.Closed, ClosedAt = now.AddMinutes(-1) }, cutoff));
        Assert.False(IncidentDirectoryGrain.IsListed(openedLongAgo with { Status = IncidentStatus.Closed, ClosedAt = now.AddHours(-25) }, cutoff));
        // Closed before closing times were recorded: its opening time stands in.
        Assert.False(IncidentDirectoryGrain.IsListed(openedLongAgo with { Status = IncidentStatus.Closed }, cutoff));
    }

    private static async Task<string> OpenAndCloseAsync(TestNode node, string cad)
    {
        var incident = await node.OpenIncidentAsync(cad, new { type = "112-emergency-video", latitude = 37.5663, longitude = 126.9779, priority = 2 });
        var id = incident.GetProperty("id").GetString()!;
        var (status, body) = await node.PostAsync($"/api/v1/incidents/{id}/close", cad, new { reason = "resolved" });
        Assert.True(status == 200, body);
        Assert.Equal("closed", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
        return id;
    }

    /// <summary>Rewrites the directory's rows of an incident as if it had opened (and closed) at these times.</summary>
    private static async Task AgeAsync(string databasePath, string incidentId, DateTimeOffset openedAt, DateTimeOffset? closedAt)
    {
        await using var connection = await SafetyNetDatabase.ForSqliteFile(databasePath).OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE incident_directory SET opened_at_ms = @openedMs, summary = json_set(summary, '$.openedAt', @opened) WHERE incident_id = @id;
            UPDATE incident_directory SET summary = json_set(summary, '$.closedAt', @closed) WHERE incident_id = @id AND @closed IS NOT NULL;
            UPDATE incident_closed_at SET closed_at_ms = @closedMs WHERE incident_id = @id AND @closedMs IS NOT NULL;
            """;
        command.WithParameter("@id", incidentId)
            .WithParameter("@openedMs", openedAt.ToUnixTimeMilliseconds()).WithParameter("@opened", openedAt.ToString("O"))
            .WithParameter("@closedMs", closedAt?.ToUnixTimeMilliseconds()).WithParameter("@closed", closedAt?.ToString("O"));
        Assert.True(await command.ExecuteNonQueryAsync() >= 1, $"no directory row for {incidentId}");
    }
}
