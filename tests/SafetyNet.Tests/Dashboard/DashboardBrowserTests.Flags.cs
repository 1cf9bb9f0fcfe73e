using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Tests.Misuse;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task A_privacy_officer_sees_a_misuse_flag_arrive_live_and_acknowledges_it_with_a_note()
    {
        var page = await SignedInPageAsync("control-jung", "privacy-officer", "auditor", "() => document.body.dataset.flagsLive === 'true'");
        try
        {
            // 20 distinct Jung-gu cameras without an incident within minutes: the many-cameras rule's default threshold.
            const string suspect = "police-jung/browser-suspect";
            var cameras = MisuseScript.SpreadCameras(Node, MisuseScript.JungGu, 20);
            await Node.Grains.GetGrain<IAuditGrain>(0).AppendManyAsync(cameras.Select(c => MisuseScript.View(c.Id, suspect)).ToArray());

            var row = page.Locator("#flags tr[data-rule='many-cameras'][data-status='open']", new() { HasTextString = suspect });
            await row.WaitForAsync();
            Assert.Contains("20", await row.Locator("td.summary").TextContentAsync());
            await row.Locator("details summary").ClickAsync();
            Assert.Equal(20, (await row.Locator(".seqs").TextContentAsync())!.Split(' ').Length);
            await ScreenshotAsync(page, "30-misuse-flag-live");

            var flagId = await row.GetAttributeAsync("data-flag-id");
            await row.Locator("textarea[name='note']").FillAsync("Asked the station: a camera survey for the new patrol route.");
            await row.Locator("button[type='submit']").ClickAsync();
            await page.Locator($"#flags tr[data-flag-id='{flagId}']").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached });
            await page.SelectOptionAsync("#flags select[name='status']", "acknowledged");
            var acknowledged = page.Locator($"#flags tr[data-flag-id='{flagId}'][data-status='acknowledged']");
            await acknowledged.WaitForAsync();
            Assert.Contains("control-jung/privacy-officer", await acknowledged.TextContentAsync());
            Assert.Contains("camera survey", await acknowledged.TextContentAsync());
            await ScreenshotAsync(page, "31-misuse-flag-acknowledged");

            var token = await Node.TokenAsync("control-jung", "privacy-officer", "auditor");
            using var listed = await Node.SendAsync(HttpMethod.Get, "/api/v1/audit/flags?status=acknowledged", token);
            Assert.Contains((await listed.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray(), f => f.GetProperty("id").GetString() == flagId);
            var ledger = await Node.Grains.GetGrain<IAuditGrain>(0).QueryAsync(new AuditQuery(null, null, null, null, null, null, 1, 50, Kind: AuditKinds.FlagAcknowledged));
            Assert.Contains(ledger.Items, r => r.Entry.Details!.Contains(flagId!) && r.Entry.Actor == "control-jung/privacy-officer");
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
