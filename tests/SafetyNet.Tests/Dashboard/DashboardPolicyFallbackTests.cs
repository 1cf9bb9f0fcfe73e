using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyNet.Tests.DashboardUi;

/// <summary>
/// A district's privacy officer tightened its sharing policy; an insider then put the district's record back from a copy
/// taken before. The node does not believe the older policy: it shares only during incidents what the old record shared at
/// all. The officer opening the policy page is told so in Korean, sees that policy as the one in force, and saves the table
/// as they mean it: the notice goes, and the saved policy is believed again. The record is put back under a stopped node,
/// so this class has a node of its own, not the shared fixture's.
/// </summary>
[Trait("Category", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class DashboardPolicyFallbackTests(ITestOutputHelper output)
{
    private const string District = "11020";
    /// <summary>Standing in Jung-gu's default policy; the officer's tightening sets it to never.</summary>
    private const string Cell = "#policy select[data-kind='police-112-center'][data-purpose='crime-prevention']";
    private const string Notice = "#policy .policy-fallback[data-reason='policy-record-older-than-ledger']";

    [Fact]
    public async Task A_privacy_officer_whose_district_record_was_put_back_is_told_why_standing_access_waits_for_incidents_and_saving_the_table_ends_it()
    {
        var node = await TestNode.StartAsync(2_000);
        try
        {
            var otherStanding = (await DistrictAsync(node)).GetProperty("sharingPolicy").EnumerateObject()
                .SelectMany(kind => kind.Value.EnumerateObject().Select(purpose => (Kind: kind.Name, Purpose: purpose.Name, Level: purpose.Value.GetString())))
                .First(cell => cell.Level == "standing" && (cell.Kind, cell.Purpose) != ("police-112-center", "crime-prevention"));
            await node.DisposeAsync();
            var beforeTightening = await NodeStoredRecords.DistrictAsync(node, District);
            node = await TestNode.StartAsync(2_000, node.DataDirectory);
            await TightenAsync(node);
            await node.DisposeAsync();
            await NodeStoredRecords.PutBackDistrictAsync(node, District, beforeTightening);
            node = await TestNode.StartAsync(2_000, node.DataDirectory);

            using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            await using var browser = await DashboardFixture.LaunchChromiumAsync(playwright);
            var page = await DashboardFixture.OpenConsoleAsync(browser, node, output);
            await DashboardFixture.SignInAsync(page, "control-jung", "officer-fallback", "district-admin", DashboardBrowserTests.PolicyReady);

            var notice = page.Locator(Notice);
            await notice.WaitForAsync();
            var shown = await notice.TextContentAsync();
            output.WriteLine($"shown: {shown}");
            Assert.Contains("원장의 최신 정책 변경보다 오래되었습니다", shown);
            Assert.Contains("사건 중에만 공유", shown);
            // The table is the policy in force: the old record's standing cell waits for an incident.
            Assert.Equal("during-incident", await page.InputValueAsync(Cell));
            await DashboardFixture.ScreenshotAsync(page, "08-policy-fallback", output);

            // The officer saves the table as they mean it: the whole policy is stored afresh and believed.
            await page.SelectOptionAsync(Cell, "never");
            await page.ClickAsync("#policy button.save");
            await page.Locator("#policy .message.ok").WaitForAsync();
            Assert.Equal(0, await page.Locator(Notice).CountAsync());
            var district = await DistrictAsync(node);
            Assert.Equal(JsonValueKind.Null, district.GetProperty("policyFallback").ValueKind);
            Assert.Equal("never", district.GetProperty("sharingPolicy").GetProperty("police-112-center").GetProperty("crime-prevention").GetString());
            // Stored as the table showed it: another cell the old record had standing is stored waiting for incidents.
            Assert.Equal("during-incident", district.GetProperty("sharingPolicy").GetProperty(otherStanding.Kind).GetProperty(otherStanding.Purpose).GetString());
        }
        finally
        {
            await node.DisposeAsync();
            node.DeleteData();
        }
    }

    private static async Task TightenAsync(TestNode node)
    {
        var admin = await node.TokenAsync("control-jung", "officer-fallback", "district-admin");
        using var patch = await node.SendAsync(HttpMethod.Patch, $"/api/v1/districts/{District}/sharing-policy", admin,
            JsonContent.Create(new Dictionary<string, Dictionary<string, string>> { ["police-112-center"] = new() { ["crime-prevention"] = "never" } }));
        Assert.True(patch.IsSuccessStatusCode, $"{(int)patch.StatusCode} {await patch.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonElement> DistrictAsync(TestNode node) =>
        await node.GetJsonAsync($"/api/v1/districts/{District}", await node.TokenAsync("control-jung", "officer-fallback", "district-admin"));
}
