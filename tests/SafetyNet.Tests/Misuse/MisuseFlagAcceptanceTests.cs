using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Misuse;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Misuse;

/// <summary>
/// Issue 12's misuse test on a real node: scripted views go into the real ledger, the cluster's rule runner flags them,
/// and real SignalR clients show who hears of it. The unusual-hours window is set to the current hour in Seoul, so the
/// test's "03:00" is now.
/// </summary>
[Trait("Category", "Slow")]
public sealed class MisuseFlagAcceptanceTests
{
    private const string JungGu = MisuseScript.JungGu;
    private static readonly TimeSpan Seoul = TimeSpan.FromHours(9);

    private static Dictionary<string, string?> Settings()
    {
        var hour = DateTimeOffset.UtcNow.ToOffset(Seoul).Hour;
        return new()
        {
            ["Misuse:UnusualHoursStart"] = hour.ToString(),
            ["Misuse:UnusualHoursEnd"] = ((hour + 2) % 24).ToString(),
            ["Misuse:PollInterval"] = "00:00:00.250",
            ["Leases:PrewarmCount"] = "0",
        };
    }

    private static async Task<Dashboard> FlagBoardAsync(TestNode node, string agency, string operatorId)
    {
        var board = await Dashboard.ConnectAsync(node, await node.TokenAsync(agency, operatorId, "auditor"));
        await board.Connection.InvokeAsync<JsonElement>("SubscribeFlags");
        return board;
    }

    private static async Task<JsonElement[]> FlagsAsync(TestNode node, string token, string query = "")
    {
        using var response = await node.SendAsync(HttpMethod.Get, $"/api/v1/audit/flags{query}", token);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToArray();
    }

    [Fact]
    public async Task Fifty_cameras_in_an_hour_at_night_without_an_incident_are_flagged_live_to_Jung_gu_and_an_incident_workload_is_not()
    {
        await using var node = await TestNode.StartAsync(5_000, extra: Settings());
        try
        {
            await using var jungOfficer = await FlagBoardAsync(node, "control-jung", "privacy-officer");
            await using var cityAuditor = await FlagBoardAsync(node, "seoul-audit", "auditor-kim");
            await using var gangnamOfficer = await FlagBoardAsync(node, "control-gangnam", "privacy-officer");
            await using var operatorBoard = await Dashboard.ConnectAsync(node, await node.TokenAsync("police-jung", "desk", "operator"));
            await operatorBoard.Connection.InvokeAsync<JsonElement>("SubscribeIncidents");
            await operatorBoard.Connection.InvokeAsync<JsonElement>("SubscribeDistrict", JungGu);
            var refused = await Assert.ThrowsAsync<HubException>(() => operatorBoard.Connection.InvokeAsync<JsonElement>("SubscribeFlags"));
            Assert.Contains("Only auditors", refused.Message);

            // A normal incident workload of the same size first: 50 views under five 112 incidents in Jung-gu, at the same hour.
            var dispatch = await node.TokenAsync("seoul-112", "cad", "dispatch-system");
            var workload = new List<AuditEntry>();
            for (var i = 0; workload.Count < 50; i++)
            {
                Assert.True(i < 20, "the incidents select too few cameras");
                var incident = await node.OpenIncidentAsync(dispatch, new
                {
                    type = "112-emergency-video", latitude = 37.5600 + 0.002 * i, longitude = 126.9850 + 0.002 * i, priority = 2, externalReference = $"misuse-normal-{i}",
                });
                var id = incident.GetProperty("id").GetString()!;
                foreach (var camera in incident.GetProperty("cameras").EnumerateArray().Take(10))
                    workload.Add(MisuseScript.View(camera.GetProperty("cameraId").GetString()!, $"police-jung/responder-{i}", id));
            }
            await node.Grains.GetGrain<IAuditGrain>(0).AppendManyAsync(workload.Take(50).ToArray());

            // Then the misuse: one operator, 50 distinct Jung-gu cameras, no incident, within minutes.
            const string nightOwl = "police-jung/night-owl";
            var cameras = MisuseScript.SpreadCameras(node, JungGu, 50);
            await node.Grains.GetGrain<IAuditGrain>(0).AppendManyAsync(cameras.Select(c => MisuseScript.View(c.Id, nightOwl)).ToArray());
            var appended = Stopwatch.StartNew();

            var manyCameras = await jungOfficer.WaitForAsync("misuseFlagRaised", f => f.GetProperty("rule").GetString() == MisuseRules.ManyCameras, TimeSpan.FromSeconds(5));
            var unusual = await jungOfficer.WaitForAsync("misuseFlagRaised", f => f.GetProperty("rule").GetString() == MisuseRules.UnusualHours, TimeSpan.FromSeconds(5));
            var latency = appended.Elapsed;
            Assert.True(latency < TimeSpan.FromSeconds(5), $"flags arrived after {latency}");
            foreach (var (_, flag) in new[] { manyCameras, unusual })
            {
                Assert.Equal(nightOwl, flag.GetProperty("suspect").GetString());
                Assert.Equal(JungGu, flag.GetProperty("districtCode").GetString());
                Assert.Equal("open", flag.GetProperty("status").GetString());
                // Numbered in Jung-gu's flag stream, so an officer's page that misses one reads the flags again.
                Assert.Equal($"flags:{JungGu}", flag.GetProperty("sequence").GetProperty("stream").GetString());
            }
            Assert.Equal(20, manyCameras.Payload.GetProperty("evidence").GetArrayLength());
            Assert.Equal(3, unusual.Payload.GetProperty("evidence").GetArrayLength());

            // The runner judges in seq order, so by now it has judged the incident workload too: it raised nothing about it.
            var auditor = await node.TokenAsync("seoul-audit", "auditor-kim", "auditor");
            var all = await FlagsAsync(node, auditor);
            Assert.Equal([MisuseRules.ManyCameras, MisuseRules.UnusualHours], all.Select(f => f.GetProperty("rule").GetString()!).Order());
            Assert.All(all, f => Assert.Equal(nightOwl, f.GetProperty("suspect").GetString()));
            await cityAuditor.WaitForAsync("misuseFlagRaised", f => f.GetProperty("id").GetString() == manyCameras.Payload.GetProperty("id").GetString());
            Assert.DoesNotContain(gangnamOfficer.Events, e => e.Name == "misuseFlagRaised");
            Assert.DoesNotContain(operatorBoard.Events, e => e.Name.StartsWith("misuseFlag", StringComparison.Ordinal));

            // Each flag is in the ledger, naming its evidence, for the district told.
            var evidence = manyCameras.Payload.GetProperty("evidence").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var ledger = await node.Grains.GetGrain<IAuditGrain>(0).QueryAsync(new AuditQuery(null, null, null, null, null, null, 1, 100, Kind: AuditKinds.MisuseFlag));
            Assert.Equal(2, ledger.Items.Count);
            var recorded = Assert.Single(ledger.Items, r => r.Entry.Reason == MisuseRules.ManyCameras).Entry;
            Assert.Equal(JungGu, recorded.DistrictCode);
            Assert.Equal(nightOwl, recorded.Actor);
            var details = JsonDocument.Parse(recorded.Details!).RootElement;
            Assert.Equal(manyCameras.Payload.GetProperty("id").GetString(), details.GetProperty("flagId").GetString());
            Assert.Equal(evidence, details.GetProperty("evidence").EnumerateArray().Select(e => e.GetInt64()));

            // Scope: Jung-gu's officer lists them, Gangnam's does not and cannot acknowledge them; the note is required and bounded.
            var jung = await node.TokenAsync("control-jung", "privacy-officer", "auditor");
            var gangnam = await node.TokenAsync("control-gangnam", "privacy-officer", "auditor");
            Assert.Equal(2, (await FlagsAsync(node, jung, "?status=open")).Length);
            Assert.Single(await FlagsAsync(node, jung, $"?rule={MisuseRules.ManyCameras}"));
            Assert.Empty(await FlagsAsync(node, gangnam));
            var flagId = manyCameras.Payload.GetProperty("id").GetString()!;
            var acknowledge = $"/api/v1/audit/flags/{flagId}/acknowledge";
            await ProblemAssert.IsProblemAsync(await node.SendAsync(HttpMethod.Post, acknowledge, gangnam, JsonContent.Create(new { note = "not mine" })), 404);
            await ProblemAssert.IsProblemAsync(await node.SendAsync(HttpMethod.Post, "/api/v1/audit/flags/flag-nope/acknowledge", jung, JsonContent.Create(new { note = "x" })), 404);
            Assert.Contains("required", await ProblemAssert.IsProblemAsync(await node.SendAsync(HttpMethod.Post, acknowledge, jung, JsonContent.Create(new { note = "  " })), 400));
            Assert.Contains("at most", await ProblemAssert.IsProblemAsync(await node.SendAsync(HttpMethod.Post, acknowledge, jung, JsonContent.Create(new { note = new string('x', MisuseFlag.MaxNoteLength + 1) })), 400));
            await ProblemAssert.IsProblemAsync(await node.SendAsync(HttpMethod.Get, "/api/v1/audit/flags?status=closed", jung), 400);
            await ProblemAssert.IsProblemAsync(await node.SendAsync(HttpMethod.Get, "/api/v1/audit/flags", await node.TokenAsync("police-jung", "desk", "operator")), 403);

            using (var ok = await node.SendAsync(HttpMethod.Post, acknowledge, jung, JsonContent.Create(new { note = "Called the station: training drill, no follow-up." })))
            {
                Assert.True(ok.IsSuccessStatusCode, await ok.Content.ReadAsStringAsync());
                var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("acknowledged", body.GetProperty("status").GetString());
                Assert.Equal("control-jung/privacy-officer", body.GetProperty("acknowledgedBy").GetString());
            }
            await ProblemAssert.IsProblemAsync(await node.SendAsync(HttpMethod.Post, acknowledge, jung, JsonContent.Create(new { note = "again" })), 409);
            await cityAuditor.WaitForAsync("misuseFlagAcknowledged", f => f.GetProperty("id").GetString() == flagId);
            Assert.Single(await FlagsAsync(node, jung, "?status=acknowledged"));
            var ack = Assert.Single((await node.Grains.GetGrain<IAuditGrain>(0).QueryAsync(new AuditQuery(null, null, null, null, null, null, 1, 10, Kind: AuditKinds.FlagAcknowledged))).Items).Entry;
            Assert.Equal(("control-jung/privacy-officer", JungGu), (ack.Actor, ack.DistrictCode));
            Assert.Equal(flagId, JsonDocument.Parse(ack.Details!).RootElement.GetProperty("flagId").GetString());
        }
        finally
        {
            node.DeleteData();
        }
    }

    [Fact]
    public async Task After_a_restart_the_runner_resumes_where_it_stopped_and_does_not_flag_again()
    {
        var data = Directory.CreateTempSubdirectory("safetynet-misuse-").FullName;
        var first = await TestNode.StartAsync(5_000, data, Settings());
        List<CameraInfo> cameras;
        try
        {
            cameras = MisuseScript.SpreadCameras(first, JungGu, 30);
            await first.Grains.GetGrain<IAuditGrain>(0).AppendManyAsync(cameras.Take(25).Select(c => MisuseScript.View(c.Id, "police-jung/before")).ToArray());
            var auditor = await first.TokenAsync("seoul-audit", "auditor-kim", "auditor");
            await Eventually.WaitAsync(() => FlagsAsync(first, auditor), f => f.Length == 2, TimeSpan.FromSeconds(10), "two flags before the restart");
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await TestNode.StartAsync(5_000, data, Settings());
        try
        {
            // More of the same suspect's pattern (within the cooldown) and then a new suspect's: only the new one is flagged.
            await second.Grains.GetGrain<IAuditGrain>(0).AppendManyAsync(cameras.Skip(25).Select(c => MisuseScript.View(c.Id, "police-jung/before")).ToArray());
            await second.Grains.GetGrain<IAuditGrain>(0).AppendManyAsync(cameras.Take(25).Select(c => MisuseScript.View(c.Id, "police-jung/after")).ToArray());
            var auditor = await second.TokenAsync("seoul-audit", "auditor-kim", "auditor");
            var flags = await Eventually.WaitAsync(() => FlagsAsync(second, auditor), f => f.Length >= 4, TimeSpan.FromSeconds(10), "the new suspect's flags");
            Assert.Equal(4, flags.Length);
            Assert.Equal(2, flags.Count(f => f.GetProperty("suspect").GetString() == "police-jung/before"));
            Assert.Equal(4, (await second.Grains.GetGrain<IAuditGrain>(0).QueryAsync(new AuditQuery(null, null, null, null, null, null, 1, 100, Kind: AuditKinds.MisuseFlag))).Items.Count);
        }
        finally
        {
            second.DeleteData();
        }
    }

    [Fact]
    public async Task A_wrong_misuse_setting_stops_the_node_naming_it()
    {
        var data = Directory.CreateTempSubdirectory("safetynet-misuse-bad-").FullName;
        try
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => TestNode.StartAsync(100, data, new Dictionary<string, string?> { ["Misuse:UnusualHoursStart"] = "3", ["Misuse:UnusualHoursEnd"] = "3" }));
            Assert.Contains("Misuse:UnusualHoursStart and Misuse:UnusualHoursEnd must differ", refused.ToString());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
