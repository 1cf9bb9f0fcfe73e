using Microsoft.Data.Sqlite;
using SafetyNet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyNet.Tests.Incidents;

/// <summary>An incident's grants are written once, to its district's grant registry, never into the cameras they cover.</summary>
public sealed class IncidentGrantWritesTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        // Pre-warming writes the warmed cameras' state by design; it is not a grant.
        ["Leases:PrewarmCount"] = "0",
        ["Incidents:ClosingGrace"] = "00:00:01",
        ["Incidents:MoveGrace"] = "00:00:01",
    };

    [Fact]
    public async Task Opening_moving_and_closing_an_incident_writes_no_camera_state()
    {
        var node = await TestNode.StartAsync(3_000, extra: Settings);
        try
        {
            var cad = await node.TokenAsync("seoul-112", "cad-writes", "dispatch-system");
            var (cameraWrites, allWrites) = await WritesAsync(node);
            var incident = await node.OpenIncidentAsync(cad, new { type = "112-dispatch", latitude = 37.4837, longitude = 127.0324, radiusMeters = 400 });
            var id = incident.GetProperty("id").GetString()!;
            var (cameraWritesOpen, allWritesOpen) = await WritesAsync(node);
            output.WriteLine($"incident open over {incident.CameraIds().Length} cameras for {incident.GetProperty("agencies").GetArrayLength()} agencies: " +
                $"{allWritesOpen - allWrites} grain-state writes, {cameraWritesOpen - cameraWrites} of them camera states");
            Assert.NotEmpty(incident.CameraIds());

            var (status, body) = await node.PostAsync($"/api/v1/incidents/{id}/location", cad, new { latitude = 37.5172, longitude = 127.0473 });
            Assert.True(status == 200, body);
            (status, body) = await node.PostAsync($"/api/v1/incidents/{id}/close", cad, new { reason = "resolved" });
            Assert.True(status == 200, body);
            await Eventually.WaitAsync(() => node.GetJsonAsync($"/api/v1/incidents/{id}", cad), i => i.GetProperty("status").GetString() == "closed",
                TimeSpan.FromSeconds(30), "the closing grace to end and every grant to be revoked");
            var (cameraWritesAfter, _) = await WritesAsync(node);

            Assert.Equal(cameraWrites, cameraWritesAfter);
        }
        finally
        {
            await node.DisposeAsync();
            node.DeleteData();
        }
    }

    /// <summary>The summed grain-state versions (each write raises one): of camera grains, and of every grain.</summary>
    private static async Task<(long Cameras, long All)> WritesAsync(TestNode node)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(node.DataDirectory, "safetynet.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(CASE WHEN GrainTypeString = 'camera' THEN Version END), 0), COALESCE(SUM(Version), 0) FROM OrleansStorage";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
