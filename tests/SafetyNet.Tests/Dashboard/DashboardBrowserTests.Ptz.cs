using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyNet.Grains.Ptz;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Ptz;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task The_camera_panel_turns_a_ptz_camera_while_an_arrow_is_held_and_sends_it_home_when_control_is_given_back()
    {
        await using var device = await OnvifTestDevice.StartAsync();
        var probe = device.Probe;
        const double lat = 37.5612, lon = 127.0046;
        var camera = $"ptz-ui-{Guid.NewGuid():N}"[..20];
        var admin = await Node.TokenAsync("control-jung", "ptz-ui-admin", "district-admin");
        using (var import = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", admin, new StringContent(
                   $"id,district,lat,lon,purpose,stream_url,onvif_url\n{camera},11020,{lat},{lon},crime-prevention,{fixture.Camera.Url("panel")},{device.Url}\n",
                   Encoding.UTF8, "text/csv")))
            Assert.Equal(1, (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());
        var dispatch = await Node.TokenAsync("seoul-112", "ptz-ui-dispatch", "dispatch-system");
        using (var open = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents", dispatch, JsonContent.Create(new
               {
                   type = "112-dispatch", latitude = lat, longitude = lon, priority = 2, externalReference = $"PTZ-UI-{Guid.NewGuid():N}", justification = "ptz panel",
               })))
            Assert.True(open.IsSuccessStatusCode, await open.Content.ReadAsStringAsync());

        var page = await SignedInPageAsync(operatorId: "ptz-ui-operator", ready: AccessReady);
        try
        {
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", camera);
            var controls = page.Locator("#camera .ptz");
            await controls.WaitForAsync(new LocatorWaitForOptions { Timeout = Timeout });
            await page.ClickAsync("#camera .ptz-take");
            await page.WaitForSelectorAsync("#camera .ptz[data-lock='mine']", new PageWaitForSelectorOptions { Timeout = Timeout });

            await page.DispatchEventAsync("#camera .ptz-right", "pointerdown");
            await Eventually.WaitAsync(() => probe.GetStatusAsync(), p => p.Pan > 0.1 && p.Moving, TimeSpan.FromSeconds(10), "the camera to turn right while the arrow is held");
            await page.DispatchEventAsync("#camera .ptz-right", "pointerup");
            await Eventually.WaitAsync(() => probe.GetStatusAsync(), p => !p.Moving, TimeSpan.FromSeconds(5), "the camera to stop when the arrow is let go");
            Assert.Contains("내가 제어 중", await page.TextContentAsync("#camera .ptz-lock"));
            await ScreenshotAsync(page, "15-ptz-controls");

            await page.ClickAsync("#camera .ptz-take");
            await page.WaitForSelectorAsync("#camera .ptz[data-lock='free']", new PageWaitForSelectorOptions { Timeout = Timeout });
            await Eventually.WaitAsync(() => probe.GetStatusAsync(), p => Math.Abs(p.Pan) < 1e-3 && Math.Abs(p.Tilt) < 1e-3, TimeSpan.FromSeconds(5),
                "the camera to go home when control is given back");
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
