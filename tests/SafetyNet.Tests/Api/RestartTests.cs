using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>Stop a node and start it again on the same data directory: everything is still there and nothing is seeded twice.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_restarted_node_keeps_districts_cameras_agencies_policies_and_audit_and_does_not_reseed()
    {
        const int cameras = 5_000;
        var first = await TestNode.StartAsync(cameras);
        var directory = first.DataDirectory;
        string seededAt;
        long auditRecords;
        try
        {
            var admin = await first.TokenAsync("safetynet-ops", "root", "platform-admin");
            using (var put = await first.SendAsync(HttpMethod.Put, "/api/v1/agencies/restart-unit", admin,
                       JsonContent.Create(new { name = "Restart Patrol", kind = "police-patrol", cityWide = false, districts = new[] { "11010" } })))
                put.EnsureSuccessStatusCode();
            using (var policy = await first.SendAsync(HttpMethod.Patch, "/api/v1/districts/11010/sharing-policy", admin,
                       JsonContent.Create(new Dictionary<string, Dictionary<string, string>>
                       {
                           ["police-patrol"] = new() { ["traffic"] = "standing" },
                           ["police-112-center"] = new() { ["traffic"] = "never" },
                       })))
                policy.EnsureSuccessStatusCode();
            using (var import = await first.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", admin,
                       new StringContent("id,lat,lon,purpose,stream_url\nrestart-cam,37.5735,126.9790,traffic,rtsp://x\n", Encoding.UTF8, "text/csv")))
                import.EnsureSuccessStatusCode();
            var (_, session) = await first.SessionAsync("restart-unit", "officer");
            using (var access = await first.SendAsync(HttpMethod.Get, "/api/v1/cameras/restart-cam/access", session))
                Assert.Equal("standing-policy", (await access.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

            seededAt = (await first.Grains.GetGrain<SafetyNet.Contracts.Platform.IPlatformGrain>(0).GetSeededAtAsync())!.Value.ToString("O");
            auditRecords = await VerifiedRecordsAsync(first);
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = await TestNode.StartAsync(cameras, directory);
        try
        {
            Assert.Equal(seededAt, (await second.Grains.GetGrain<SafetyNet.Contracts.Platform.IPlatformGrain>(0).GetSeededAtAsync())!.Value.ToString("O"));
            var reader = await second.TokenAsync("restart-unit", "officer", "operator");
            using var districts = await second.SendAsync(HttpMethod.Get, "/api/v1/districts", reader);
            var total = (await districts.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Sum(d => d.GetProperty("cameraCount").GetInt32());
            Assert.Equal(cameras + 1, total);

            using var district = await second.SendAsync(HttpMethod.Get, "/api/v1/districts/11010", reader);
            var detail = await district.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("standing", detail.GetProperty("sharingPolicy").GetProperty("police-patrol").GetProperty("traffic").GetString());
            Assert.Equal("never", detail.GetProperty("sharingPolicy").GetProperty("police-112-center").GetProperty("traffic").GetString());

            var (_, session) = await second.SessionAsync("restart-unit", "officer");
            using var access = await second.SendAsync(HttpMethod.Get, "/api/v1/cameras/restart-cam/access", session);
            Assert.Equal("standing-policy", (await access.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
            Assert.True(await VerifiedRecordsAsync(second) > auditRecords);
        }
        finally
        {
            await second.DisposeAsync();
            second.DeleteData();
        }
    }

    private static async Task<long> VerifiedRecordsAsync(TestNode node)
    {
        var auditor = await node.TokenAsync("seoul-audit", "privacy", "auditor");
        using var verify = await node.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", auditor);
        var result = await verify.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(result.GetProperty("intact").GetBoolean(), result.ToString());
        return result.GetProperty("recordsChecked").GetInt64();
    }
}
