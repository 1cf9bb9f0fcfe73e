using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Misuse;
using SafetyNet.Tests.Notifications;

namespace SafetyNet.Tests.DashboardUi;

/// <summary>
/// A page that missed events reads its list again; a change that arrives while that list is on its way must not be taken
/// back by it. Each test holds the list between the server's answer and the page (<see cref="HeldFirstAnswer"/>), makes the
/// change meanwhile, then releases the older list.
/// </summary>
public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task A_camera_put_under_maintenance_while_the_map_reads_its_cameras_again_stays_under_maintenance()
    {
        var camera = await ImportCameraAsync("stale-map", 37.5647, 126.9977, "crime-prevention", "panel");
        var page = await SignedInPageAsync(operatorId: "stale-map-operator");
        try
        {
            await page.WaitForFunctionAsync("() => window.safetynet.resyncs.subscriptions >= 1");
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) !== null", camera);
            var held = await HeldFirstAnswer.OnAsync(page, "**/api/v1/cameras/compact");

            // Jongno-gu's status numbers jump ahead: the map reads every camera again.
            await SequencedHubTests.AheadHeartbeatAsync(Node, new EventSequence("district:11010", "stale-map-epoch", 0));
            await SequencedHubTests.AheadHeartbeatAsync(Node, new EventSequence("district:11010", "stale-map-epoch", 5));
            await held.Answered;

            // Meanwhile Jung-gu's admin puts a camera under maintenance: the map shows it at once.
            var admin = await Node.TokenAsync("control-jung", "stale-map-admin", "district-admin");
            using (var patch = await Node.SendAsync(HttpMethod.Patch, $"/api/v1/cameras/{camera}", admin, JsonContent.Create(new { status = "maintenance" })))
                Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'maintenance'", camera);

            // The list read before it arrives last.
            held.Release();
            await page.WaitForFunctionAsync("() => window.safetynet.resyncs.statusCompleted >= 1");
            Assert.Equal("maintenance", await page.EvaluateAsync<string>("id => window.safetynet.cameraAccess(id)", camera));
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task A_flag_acknowledged_while_the_officers_page_reads_its_flags_again_stays_acknowledged()
    {
        const string suspect = "police-jung/stale-flag-suspect";
        var officerToken = await Node.TokenAsync("control-jung", "stale-flags-watcher", "auditor");
        // A second officer's own connection, to learn the number Jung-gu's flag stream has reached.
        await using var watcher = new HubConnectionBuilder()
            .WithUrl(new Uri(Node.Http.BaseAddress!, "/hubs/operations"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(officerToken))
            .Build();
        var raised = new TaskCompletionSource<EventSequence>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.On<JsonElement>(DashboardEventNames.MisuseFlagRaised, flag =>
        {
            if (flag.GetProperty("suspect").GetString() == suspect) raised.TrySetResult(flag.GetProperty("sequence").Deserialize<EventSequence>(TestNode.Json)!);
        });
        await watcher.StartAsync();
        await watcher.InvokeAsync<JsonElement>("SubscribeFlags");

        var page = await SignedInPageAsync("control-jung", "stale-flags-officer", "auditor", "() => document.body.dataset.flagsLive === 'true'");
        try
        {
            var cameras = MisuseScript.SpreadCameras(Node, MisuseScript.JungGu, 20);
            await Node.Grains.GetGrain<IAuditGrain>(0).AppendManyAsync(cameras.Select(c => MisuseScript.View(c.Id, suspect)).ToArray());
            var open = page.Locator("#flags tr[data-rule='many-cameras'][data-status='open']", new() { HasTextString = suspect });
            await open.WaitForAsync();
            var flagId = await open.GetAttributeAsync("data-flag-id");
            var position = await raised.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await page.SelectOptionAsync("#flags select[name='status']", "");
            var held = await HeldFirstAnswer.OnAsync(page, "**/api/v1/audit/flags?limit=*");

            // Jung-gu's flag numbers jump ahead: the page reads its flags again.
            await SequencedHubTests.AheadHeartbeatAsync(Node, position with { Number = position.Number + 5 });
            await held.Answered;

            // Meanwhile another officer acknowledges the flag: the page shows it at once.
            var colleague = await Node.TokenAsync("control-jung", "stale-flags-colleague", "auditor");
            using (var acknowledged = await Node.SendAsync(HttpMethod.Post, $"/api/v1/audit/flags/{flagId}/acknowledge", colleague,
                       JsonContent.Create(new { note = "Checked with the station: a patrol route survey." })))
                Assert.True(acknowledged.IsSuccessStatusCode, await acknowledged.Content.ReadAsStringAsync());
            await page.Locator($"#flags tr[data-flag-id='{flagId}'][data-status='acknowledged']").WaitForAsync();

            // The list read before it arrives last.
            held.Release();
            await page.WaitForFunctionAsync("() => Number(document.body.dataset.flagReads) >= 2");
            Assert.Equal("acknowledged", await page.Locator($"#flags tr[data-flag-id='{flagId}']").GetAttributeAsync("data-status"));
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
