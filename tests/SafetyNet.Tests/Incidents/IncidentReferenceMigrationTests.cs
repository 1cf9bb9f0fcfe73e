using System.Text.Json;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>
/// A database from before references were scoped holds claims without an agency. After the upgrade such a claim still finds
/// its incident for the agency that opened it, and for no other.
/// </summary>
public sealed class IncidentReferenceMigrationTests
{
    [Fact]
    public async Task A_reference_claimed_before_scoping_stays_with_the_agency_that_opened_its_incident()
    {
        var node = await TestNode.StartAsync(3_000);
        var directory = node.DataDirectory;
        string id;
        try
        {
            var cad = await node.TokenAsync("seoul-112", "cad-legacy", "dispatch-system");
            id = (await node.OpenIncidentAsync(cad, new { type = "112-dispatch", latitude = 37.5663, longitude = 126.9779, description = "legacy secret" })).GetProperty("id").GetString()!;
        }
        finally
        {
            await node.DisposeAsync();
        }

        // What the old code wrote for a dispatch system's reference: a row keyed by the reference alone.
        var database = SafetyNetDatabase.ForSqliteFile(Path.Combine(directory, "safetynet.db"));
        await using (var connection = await database.OpenAsync())
            await SafetyNetDatabase.ExecuteAsync(connection, $"INSERT INTO incident_reference (external_reference, incident_id) VALUES ('112-LEGACY-7', '{id}')");

        var upgraded = await TestNode.StartAsync(3_000, directory);
        try
        {
            var cad = await upgraded.TokenAsync("seoul-112", "cad-legacy", "dispatch-system");
            var repeated = await upgraded.OpenIncidentAsync(cad, new { type = "112-dispatch", latitude = 37.5663, longitude = 126.9779, externalReference = "112-LEGACY-7" }, 200);
            Assert.Equal(id, repeated.GetProperty("id").GetString());

            var sos = await upgraded.TokenAsync("seoul-sos-center", "sos-app", "dispatch-system");
            var (status, text) = await upgraded.PostAsync("/api/v1/incidents", sos, new { type = "vulnerable-sos", latitude = 37.6543, longitude = 127.0568, externalReference = "112-LEGACY-7" });
            Assert.True(status == 201, $"{status}: {text}");
            Assert.NotEqual(id, JsonDocument.Parse(text).RootElement.GetProperty("id").GetString());
            Assert.DoesNotContain(id, text);
            Assert.DoesNotContain("legacy secret", text);
        }
        finally
        {
            await upgraded.DisposeAsync();
            upgraded.DeleteData();
        }
    }
}
