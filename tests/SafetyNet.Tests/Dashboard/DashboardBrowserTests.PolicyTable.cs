using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    internal const string PolicyReady = "() => document.querySelector('#policy table.policy select[data-kind]') !== null";

    private async Task<JsonElement> DistrictAsync(string code)
    {
        var token = await Node.TokenAsync("seoul-audit", "policy-reader", "auditor");
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/districts/{code}", token);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_district_admin_saves_only_the_cells_changed_in_the_table_sees_the_servers_change_list_and_a_refusal_shows_its_reason()
    {
        var before = await DistrictAsync("11020");
        var original = before.GetProperty("sharingPolicy");
        var level = original.GetProperty("fire-station").GetProperty("parking").GetString();
        var changed = level == "standing" ? "never" : "standing";
        var trafficLevel = original.GetProperty("fire-station").GetProperty("traffic").GetString()!;
        var elsewhere = trafficLevel == "standing" ? "never" : "standing";

        var page = await SignedInPageAsync("control-jung", "admin-jung", "district-admin", PolicyReady);
        try
        {
            Assert.Equal("11020", await page.InputValueAsync("#policy select.district"));
            Assert.Equal(8, await page.Locator("#policy table.policy tr:has(select)").CountAsync());
            Assert.Equal(8 * 6, await page.Locator("#policy select[data-kind]").CountAsync());
            const string cell = "#policy select[data-kind='fire-station'][data-purpose='parking']";
            Assert.Equal(level, await page.InputValueAsync(cell));

            // Another admin changes a different cell after this page loaded it: saving the page must not put it back.
            var admin = await Node.TokenAsync("control-jung", "admin-jung-2", "district-admin");
            using (var meanwhile = await Node.SendAsync(HttpMethod.Patch, "/api/v1/districts/11020/sharing-policy", admin,
                       JsonContent.Create(new Dictionary<string, Dictionary<string, string>> { ["fire-station"] = new() { ["traffic"] = elsewhere } })))
                Assert.True(meanwhile.IsSuccessStatusCode);

            // A cell set and set back is not an edit; only the one really changed is sent, and the server's change list is shown.
            await page.SelectOptionAsync("#policy select[data-kind='police-patrol'][data-purpose='facility']",
                original.GetProperty("police-patrol").GetProperty("facility").GetString() == "never" ? "standing" : "never");
            await page.SelectOptionAsync("#policy select[data-kind='police-patrol'][data-purpose='facility']",
                original.GetProperty("police-patrol").GetProperty("facility").GetString()!);
            await page.SelectOptionAsync(cell, changed);
            await page.ClickAsync("#policy button.save");
            await page.Locator("#policy .message.ok").WaitForAsync();
            var after = await DistrictAsync("11020");
            Assert.Equal(changed, after.GetProperty("sharingPolicy").GetProperty("fire-station").GetProperty("parking").GetString());
            Assert.Equal(elsewhere, after.GetProperty("sharingPolicy").GetProperty("fire-station").GetProperty("traffic").GetString());
            Assert.Equal(before.GetProperty("policyVersion").GetInt32() + 2, after.GetProperty("policyVersion").GetInt32());
            var changes = page.Locator("#policy ul.changes li");
            Assert.Equal(1, await changes.CountAsync());
            Assert.Equal("fire-station", await changes.GetAttributeAsync("data-kind"));
            Assert.Equal("parking", await changes.GetAttributeAsync("data-purpose"));
            Assert.Equal(changed, await changes.GetAttributeAsync("data-to"));
            Assert.Contains("→", await changes.TextContentAsync());
            Assert.Equal(elsewhere, await page.InputValueAsync("#policy select[data-kind='fire-station'][data-purpose='traffic']")); // the answer is the whole policy
            Assert.Contains(after.GetProperty("policyVersion").GetInt32().ToString(), await page.TextContentAsync("#policy .version"));
            Assert.Equal(changed, await page.InputValueAsync(cell)); // re-rendered from the saved policy
            await ScreenshotAsync(page, "07-policy-table");

            // Another district's policy can be read but not saved: the server's 403 ProblemDetails is shown as it came.
            var jongno = await DistrictAsync("11010");
            await page.SelectOptionAsync("#policy select.district", "11010");
            await page.Locator("#policy table.policy[data-district='11010']").WaitForAsync();
            await page.SelectOptionAsync(cell, "never");
            await page.ClickAsync("#policy button.save");
            var error = page.Locator("#policy .message.error");
            await error.WaitForAsync();
            Assert.Contains("403", await error.TextContentAsync());
            Assert.Contains("own district", await error.TextContentAsync());
            Assert.Equal(jongno.GetProperty("policyVersion").GetInt32(), (await DistrictAsync("11010")).GetProperty("policyVersion").GetInt32());
        }
        finally
        {
            var restorer = await Node.TokenAsync("control-jung", "admin-jung", "district-admin");
            using var restore = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11020/sharing-policy", restorer, JsonContent.Create(original));
            Assert.True(restore.IsSuccessStatusCode);
            await page.CloseAsync();
        }
    }
}
