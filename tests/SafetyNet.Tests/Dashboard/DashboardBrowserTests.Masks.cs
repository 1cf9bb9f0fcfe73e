using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Media.Uplink;

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

    [Fact]
    public async Task Journey_district_admin_sees_a_cameras_refused_certificate_beside_the_pinned_one_and_forgets_the_pin()
    {
        await using var front = new TlsCameraFront(fixture.Camera.Port);
        var camera = await ImportCameraAsync("pin", 37.5646, 126.9976, "crime-prevention", "masks", streamUrl: $"rtsps://localhost:{front.Port}/masks");
        var (_, police) = await Node.SessionAsync("seoul-112", "pin-viewer");
        var first = front.Fingerprint;
        await SnapshotStatusAsync(camera, police, 200);
        front.ReplaceCertificate();
        await SnapshotStatusAsync(camera, police, 503);

        var page = await SignedInPageAsync("control-jung", "pin-admin", "district-admin");
        try
        {
            await page.EvaluateAsync("id => window.safetynet.openMaskEditor(id)", camera);
            var pin = page.Locator($"#certificate-pin .pin[data-authority='localhost:{front.Port}']");
            var refused = pin.Locator(".refused code");
            await refused.WaitForAsync();
            Assert.Equal(Pairs(front.Fingerprint), await refused.TextContentAsync());
            Assert.Equal(Pairs(first), await pin.Locator(".pinned code").TextContentAsync());
            Assert.Equal("카메라 인증서", await page.Locator("#certificate-pin h4").TextContentAsync());
            await page.Locator("#certificate-pin").ScrollIntoViewIfNeededAsync();
            await ScreenshotAsync(page, "42-certificate-pin-refused");

            await pin.Locator("button.forget").ClickAsync();
            await page.Locator("#certificate-pin .message.ok").WaitForAsync();
            var admin = await Node.TokenAsync("control-jung", "pin-reader", "district-admin");
            Assert.Equal(0, await page.Locator("#certificate-pin .pin").CountAsync());
            Assert.Empty((await Node.GetJsonAsync($"/api/v1/cameras/{camera}/certificate-pins", admin)).EnumerateArray());

            // The operator's next snapshot reaches the camera, and pins the certificate it presents now.
            await SnapshotStatusAsync(camera, police, 200);
            var pinned = Assert.Single((await Node.GetJsonAsync($"/api/v1/cameras/{camera}/certificate-pins", admin)).EnumerateArray());
            Assert.Equal(front.Fingerprint, pinned.GetProperty("sha256").GetString());
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private static string Pairs(string hex) => string.Join(':', hex.Chunk(2).Select(pair => new string(pair)));

    private async Task SnapshotStatusAsync(string camera, string token, int expected)
    {
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/snapshot?purpose=monitoring", token);
        Assert.True((int)response.StatusCode == expected, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
