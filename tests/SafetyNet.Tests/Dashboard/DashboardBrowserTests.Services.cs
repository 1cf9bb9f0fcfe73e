using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task A_fire_incident_panel_and_map_show_hydrants_hazmat_and_parking_details()
    {
        var page = await SignedInPageAsync("seoul-119", "panel-119");
        var cad = await Node.TokenAsync("seoul-119", "cad-panel", "dispatch-system");
        using var opened = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents", cad,
            JsonContent.Create(new { type = "119-dispatch", latitude = 37.5636, longitude = 126.9976, radiusMeters = 1500, externalReference = "119-UI-CONTEXT" }));
        var id = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await page.Locator($"#incidents li[data-incident='{id}']").ClickAsync();
        await page.Locator("#incident table.context tr[data-layer='hydrants']").First.WaitForAsync();
        var hazmat = await page.Locator("#incident table.context tr[data-layer='hazmat']").First.InnerTextAsync();
        Assert.Matches(@"UN\d{4}", hazmat);
        Assert.Matches(@"\d+ (kg|t|L|m3)", hazmat);
        var parking = await page.Locator("#incident table.context tr[data-layer='parking']").AllInnerTextsAsync();
        Assert.Contains(parking, row => row.Contains("높이 제한") || row.Contains("height limit"));
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.contextFeatures) > 0");
        Assert.True(await page.Locator("path.context-hydrants").CountAsync() > 0);
        await ScreenshotAsync(page, "14-fire-context");
        await page.CloseAsync();
    }

    [Fact]
    public async Task An_sos_incident_panel_shows_the_persons_category_and_the_trail_as_it_grows()
    {
        var page = await SignedInPageAsync("seoul-sos-center", "panel-sos");
        var gateway = await Node.TokenAsync("seoul-sos-center", "wearable-gateway", "dispatch-system");
        using var opened = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents", gateway,
            JsonContent.Create(new { type = "vulnerable-sos", latitude = 37.5660, longitude = 126.9910, personCategory = "child", externalReference = "SOS-UI-TRAIL" }));
        var id = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await page.Locator($"#incidents li[data-incident='{id}']").ClickAsync();
        await page.Locator("#incident .person-category").WaitForAsync();
        Assert.Contains(await page.Locator("#incident .person-category").InnerTextAsync(), new[] { "아동", "Child" });
        foreach (var (lat, lon) in new[] { (37.5664, 126.9915), (37.5670, 126.9921) })
        {
            using var moved = await Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/trail", gateway, JsonContent.Create(new { latitude = lat, longitude = lon, accuracyMeters = 10 }));
            Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
        }
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#incident table.trail tr').length === 3");
        Assert.Equal("3", await page.EvaluateAsync<string>("() => document.body.dataset.trailPoints"));
        Assert.Equal(1, await page.Locator("path.sos-trail").CountAsync());
        await ScreenshotAsync(page, "15-sos-trail");
        await page.CloseAsync();
    }
}
