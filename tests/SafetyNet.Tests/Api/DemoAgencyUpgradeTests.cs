using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>A database seeded before an agency joined the demo gets it on the next start; agencies an admin changed stay changed.</summary>
public sealed class DemoAgencyUpgradeTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_restart_registers_missing_demo_agencies_without_reseeding_or_undoing_changes()
    {
        var first = await TestNode.StartAsync(cameras: 2000);
        var directory = first.DataDirectory;
        try
        {
            var admin = await first.TokenAsync("safetynet-ops", "root", "platform-admin");
            using var put = await first.SendAsync(HttpMethod.Put, "/api/v1/agencies/seoul-119", admin,
                JsonContent.Create(new { name = "119 Renamed By An Admin", kind = "fire-119-center", cityWide = true, districts = Array.Empty<string>() }));
            put.EnsureSuccessStatusCode();
        }
        finally
        {
            await first.DisposeAsync();
        }

        // As if the database had been seeded before the audit office was part of the demo.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "safetynet.db")}"))
        {
            await connection.OpenAsync();
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM OrleansStorage WHERE GrainIdExtensionString = 'seoul-audit' AND GrainTypeString = 'agency'";
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }

        var second = await TestNode.StartAsync(cameras: 2000, dataDirectory: directory);
        try
        {
            var auditor = await second.TokenAsync("seoul-audit", "city-auditor", "auditor");
            using var agencies = await second.SendAsync(HttpMethod.Get, "/api/v1/agencies", auditor);
            var names = (await agencies.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
                .ToDictionary(a => a.GetProperty("id").GetString()!, a => a.GetProperty("name").GetString());
            Assert.Equal("119 Renamed By An Admin", names["seoul-119"]);
            using var district = await second.SendAsync(HttpMethod.Get, "/api/v1/districts", auditor);
            Assert.Equal(2000, (await district.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Sum(d => d.GetProperty("cameraCount").GetInt32()));
        }
        finally
        {
            await second.DisposeAsync();
            second.DeleteData();
        }
    }
}
