using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    private const string PolicyReady = "() => document.querySelector('#policy table.policy select[data-kind]') !== null";

    private async Task<JsonElement> DistrictAsync(string code)
    {
        var token = await Node.TokenAsync("seoul-audit", "policy-reader", "auditor");
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/districts/{code}", token);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_district_admin_edits_the_sharing_policy_in_the_table_and_the_API_reflects_it_and_a_refusal_shows_its_reason()
    {
        var before = await DistrictAsync("11020");
        var original = before.GetProperty("sharingPolicy");
        var level = original.GetProperty("fire-station").GetProperty("parking").GetString();
        var changed = level == "standing" ? "never" : "standing";

        var page = await SignedInPageAsync("control-jung", "admin-jung", "district-admin", PolicyReady);
        try
        {
            Assert.Equal("11020", await page.InputValueAsync("#policy select.district"));
            Assert.Equal(8, await page.Locator("#policy table.policy tr:has(select)").CountAsync());
            Assert.Equal(8 * 6, await page.Locator("#policy select[data-kind]").CountAsync());
            const string cell = "#policy select[data-kind='fire-station'][data-purpose='parking']";
            Assert.Equal(level, await page.InputValueAsync(cell));

            await page.SelectOptionAsync(cell, changed);
            await page.ClickAsync("#policy button.save");
            await page.Locator("#policy .message.ok").WaitForAsync();
            var after = await DistrictAsync("11020");
            Assert.Equal(changed, after.GetProperty("sharingPolicy").GetProperty("fire-station").GetProperty("parking").GetString());
            Assert.Equal(before.GetProperty("policyVersion").GetInt32() + 1, after.GetProperty("policyVersion").GetInt32());
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
            var admin = await Node.TokenAsync("control-jung", "admin-jung", "district-admin");
            using var restore = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11020/sharing-policy", admin, JsonContent.Create(original));
            Assert.True(restore.IsSuccessStatusCode);
            await page.CloseAsync();
        }
    }
}
