using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media.Uplink;
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
        await OpenIncidentAsync(lat, lon, 2, $"PTZ-UI-{Guid.NewGuid():N}", type: "112-dispatch");

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

    /// <summary>
    /// A 112 operator turns a camera whose ONVIF device, reached over HTTPS, then answers with another certificate: the panel
    /// says why in Korean, and the camera does not move. Its district admin sees the camera's two pins (its stream's and its
    /// ONVIF device's), the ONVIF one refused, and forgets only that one; the operator turns the camera again.
    /// </summary>
    [Fact]
    public async Task Journey_112_operator_turning_a_camera_whose_onvif_device_answers_with_another_certificate_reads_why_and_its_district_forgets_only_that_pin()
    {
        await using var device = await OnvifTestDevice.StartAsync();
        await using var streamFront = new TlsCameraFront(fixture.Camera.Port);
        await using var onvifFront = new TlsCameraFront(device.ServiceUrl.Port);
        const double lat = 37.5618, lon = 127.0052;
        var camera = $"ptz-pin-{Guid.NewGuid():N}"[..20];
        var onvifUrl = $"https://{Uri.EscapeDataString(OnvifTestDevice.User)}:{Uri.EscapeDataString(OnvifTestDevice.Password)}@localhost:{onvifFront.Port}/onvif/device_service";
        var admin = await Node.TokenAsync("control-jung", "ptz-pin-admin", "district-admin");
        using (var import = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", admin, new StringContent(
                   $"id,district,lat,lon,purpose,stream_url,onvif_url\n{camera},11020,{lat},{lon},crime-prevention,rtsps://localhost:{streamFront.Port}/panel,{onvifUrl}\n",
                   Encoding.UTF8, "text/csv")))
            Assert.Equal(1, (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());
        await OpenIncidentAsync(lat, lon, 2, $"PTZ-PIN-{Guid.NewGuid():N}", type: "112-dispatch");
        var ko = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DashboardFixture.RepositoryRoot(), "silo", "dashboard", "src", "i18n", "ko.json"))).RootElement;
        var changed = ko.GetProperty("reason.camera-certificate-changed").GetString()!;

        var desk = await SignedInPageAsync(operatorId: "ptz-pin-operator", ready: AccessReady);
        var district = await SignedInPageAsync("control-jung", "ptz-pin-admin", "district-admin");
        try
        {
            await desk.EvaluateAsync("id => window.safetynet.openCamera(id)", camera);
            await WaitForPlayingAsync(desk, "#camera .live video");
            await desk.Locator("#camera .ptz").WaitForAsync(new LocatorWaitForOptions { Timeout = Timeout });
            await desk.ClickAsync("#camera .ptz-take");
            await desk.WaitForSelectorAsync("#camera .ptz[data-lock='mine']", new PageWaitForSelectorOptions { Timeout = Timeout });
            await desk.DispatchEventAsync("#camera .ptz-right", "pointerdown");
            await Eventually.WaitAsync(() => device.Probe.GetStatusAsync(), p => p.Pan > 0.1, TimeSpan.FromSeconds(10), "the camera to turn right");
            await desk.DispatchEventAsync("#camera .ptz-right", "pointerup");
            var turned = await Eventually.WaitAsync(() => device.Probe.GetStatusAsync(), p => !p.Moving, TimeSpan.FromSeconds(5), "the camera to stop");

            // Someone answers for the ONVIF device: the arrow is refused, saying why, and the camera stays where it was.
            onvifFront.ReplaceCertificate();
            await desk.DispatchEventAsync("#camera .ptz-left", "pointerdown");
            await desk.WaitForFunctionAsync("text => document.querySelector('#camera .ptz-message').textContent.includes(text)", changed,
                new PageWaitForFunctionOptions { Timeout = Timeout });
            await desk.DispatchEventAsync("#camera .ptz-left", "pointerup");
            Assert.Equal(Math.Round(turned.Pan, 3), Math.Round((await device.Probe.GetStatusAsync()).Pan, 3));
            await ScreenshotAsync(desk, "43-ptz-certificate-changed");

            // The district admin sees both pins, the ONVIF device's refused, and forgets only that one.
            await district.EvaluateAsync("id => window.safetynet.openMaskEditor(id)", camera);
            var onvifPin = district.Locator($"#certificate-pin .pin[data-authority='localhost:{onvifFront.Port}']");
            var streamPin = district.Locator($"#certificate-pin .pin[data-authority='localhost:{streamFront.Port}']");
            await onvifPin.Locator(".refused code").WaitForAsync();
            Assert.Equal(0, await streamPin.Locator(".refused").CountAsync());
            Assert.Equal(ko.GetProperty("certificatePin.service.onvif").GetString(), await onvifPin.Locator(".service").TextContentAsync());
            Assert.Equal(ko.GetProperty("certificatePin.service.stream").GetString(), await streamPin.Locator(".service").TextContentAsync());
            Assert.Equal(string.Join(':', onvifFront.Fingerprint.Chunk(2).Select(pair => new string(pair))), await onvifPin.Locator(".refused code").TextContentAsync());
            await district.Locator("#certificate-pin").ScrollIntoViewIfNeededAsync();
            await ScreenshotAsync(district, "43-certificate-pins-onvif-refused");
            await onvifPin.Locator("button.forget").ClickAsync();
            await district.Locator("#certificate-pin .message.ok").WaitForAsync();
            Assert.Equal(1, await district.Locator("#certificate-pin .pin").CountAsync());
            Assert.Equal(1, await streamPin.CountAsync());

            // The operator's next press turns the camera, on the certificate the device presents now, and the message is gone.
            await desk.DispatchEventAsync("#camera .ptz-left", "pointerdown");
            await Eventually.WaitAsync(() => device.Probe.GetStatusAsync(), p => p.Pan < turned.Pan - 0.1, TimeSpan.FromSeconds(10), "the camera to turn left");
            await desk.DispatchEventAsync("#camera .ptz-left", "pointerup");
            Assert.Equal("", await desk.TextContentAsync("#camera .ptz-message"));
            var pins = (await Node.GetJsonAsync($"/api/v1/cameras/{camera}/certificate-pins", admin)).EnumerateArray().ToDictionary(p => p.GetProperty("authority").GetString()!);
            Assert.Equal(onvifFront.Fingerprint, pins[$"localhost:{onvifFront.Port}"].GetProperty("sha256").GetString());
            await desk.ClickAsync("#camera .ptz-take");
        }
        finally
        {
            await desk.CloseAsync();
            await district.CloseAsync();
        }
    }
}
