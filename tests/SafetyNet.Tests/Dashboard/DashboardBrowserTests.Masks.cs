using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task A_district_admin_draws_a_privacy_mask_on_the_cameras_frame_by_clicking_and_saves_it()
    {
        var camera = await ImportCameraAsync("masks", 37.5645, 126.9975, "crime-prevention", "masks");
        var page = await SignedInPageAsync("control-jung", "mask-admin", "district-admin");
        try
        {
            await page.EvaluateAsync("id => window.safetynet.openMaskEditor(id)", camera);
            await page.WaitForFunctionAsync("() => document.querySelector('#masks img.frame')?.naturalWidth > 0");

            var svg = page.Locator("#masks .mask-canvas svg");
            var box = (await svg.BoundingBoxAsync())!;
            (double X, double Y)[] corners = [(0.6, 0.2), (0.9, 0.2), (0.9, 0.6), (0.7, 0.6)];
            foreach (var (x, y) in corners)
                await svg.ClickAsync(new LocatorClickOptions { Position = new Position { X = (float)(box.Width * x), Y = (float)(box.Height * y) } });
            Assert.Equal(4, await page.Locator("#masks circle.draft").CountAsync());
            Assert.True(await page.IsDisabledAsync("#masks button.save"), "an unfinished polygon cannot be saved");
            await page.ClickAsync("#masks button.finish");
            await page.ClickAsync("#masks button.save");
            await page.Locator("#masks .message.ok").WaitForAsync();
            Assert.Equal(1, await page.Locator("#masks polygon.mask").CountAsync());
            await ScreenshotAsync(page, "20-privacy-mask-editor");

            var auditor = await Node.TokenAsync("seoul-audit", "mask-reader", "auditor");
            using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/masks", auditor);
            var masks = await response.Content.ReadFromJsonAsync<JsonElement>();
            var points = Assert.Single(masks.GetProperty("polygons").EnumerateArray()).GetProperty("points").EnumerateArray().ToArray();
            Assert.Equal(corners.Length, points.Length);
            for (var i = 0; i < corners.Length; i++)
            {
                Assert.InRange(points[i].GetProperty("x").GetDouble(), corners[i].X - 0.01, corners[i].X + 0.01);
                Assert.InRange(points[i].GetProperty("y").GetDouble(), corners[i].Y - 0.01, corners[i].Y + 0.01);
            }
            Assert.Equal("control-jung/mask-admin", masks.GetProperty("updatedBy").GetString());

            // Another district's admin is refused, and the page shows the server's reason.
            var other = await SignedInPageAsync("control-gangnam", "other-admin", "district-admin");
            try
            {
                await other.EvaluateAsync("id => window.safetynet.openMaskEditor(id)", camera);
                await other.Locator("#masks svg").ClickAsync(new LocatorClickOptions { Position = new Position { X = 10, Y = 10 } });
                await other.ClickAsync("#masks button.undo");
                await other.ClickAsync("#masks button.save");
                Assert.Contains("11020", await other.Locator("#masks .message.error").TextContentAsync());
            }
            finally
            {
                await other.CloseAsync();
            }
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
