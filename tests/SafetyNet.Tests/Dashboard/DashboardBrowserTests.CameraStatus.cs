using System.Text.Json;
using Microsoft.Playwright;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media.Uplink;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    /// <summary>
    /// A 112 operator watches a camera when something on the path starts answering for it with another certificate. The
    /// view used to stop with "camera offline" and nothing more; the operator now reads why, and when the node tries again,
    /// and so does the camera's district admin, whose own check finds the same, and who gets it back by forgetting the pin.
    /// </summary>
    [Fact]
    public async Task Journey_112_operator_whose_camera_goes_offline_reads_why_and_its_district_admin_gets_it_back()
    {
        await using var front = new TlsCameraFront(fixture.Camera.Port);
        var camera = await ImportCameraAsync("dark", 37.5647, 126.9977, "crime-prevention", "panel", streamUrl: $"rtsps://localhost:{front.Port}/panel");
        var ko = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DashboardFixture.RepositoryRoot(), "silo", "dashboard", "src", "i18n", "ko.json"))).RootElement;
        var certificateChanged = ko.GetProperty("reason.camera-certificate-changed").GetString()!;

        var desk = await SignedInPageAsync(operatorId: "dark-viewer");
        var district = await SignedInPageAsync("control-jung", "dark-admin", "district-admin");
        try
        {
            await desk.EvaluateAsync("id => window.safetynet.openCamera(id)", camera);
            await WaitForPlayingAsync(desk, "#camera .live video");

            // The camera's certificate changes under the view: its relay is refused at every restart and reports it offline.
            front.ReplaceCertificate();
            var stopped = desk.Locator("#camera .live.stopped[data-offline-why]");
            await stopped.WaitForAsync(new LocatorWaitForOptions { Timeout = 90_000 });
            Assert.Contains(certificateChanged, await stopped.GetAttributeAsync("data-offline-why"));
            Assert.Contains(certificateChanged, await stopped.Locator(".state").TextContentAsync());
            await ScreenshotAsync(desk, "44-camera-offline-why");
            // Opened again, the panel refuses it for the same reason, and says it.
            await desk.EvaluateAsync("id => window.safetynet.openCamera(id)", camera);
            var denied = desk.Locator("#camera .decision .denied[data-reason='camera-offline']");
            await desk.WaitForFunctionAsync("text => document.querySelector('#camera .decision .denied')?.textContent.includes(text)", certificateChanged);

            // The district admin sees the same beside the camera's certificates; a check at once finds the camera still refused.
            await district.EvaluateAsync("id => window.safetynet.openMaskEditor(id)", camera);
            var status = district.Locator("#camera-status[data-cause='camera-certificate-changed']");
            await status.WaitForAsync();
            Assert.Contains(certificateChanged, await status.Locator(".status").TextContentAsync());
            await status.Locator("button.check").ClickAsync();
            await district.Locator("#camera-status .message.error").WaitForAsync();
            Assert.Contains(certificateChanged, await district.Locator("#camera-status .message.error").TextContentAsync());
            await district.Locator("#camera-status").ScrollIntoViewIfNeededAsync();
            await ScreenshotAsync(district, "44-camera-status-checked");

            // Having compared fingerprints, the admin forgets the pin: the camera is tried at once, and is online again.
            await district.Locator($"#certificate-pin .pin[data-authority='localhost:{front.Port}'] button.forget").ClickAsync();
            await district.Locator("#certificate-pin .message.ok").WaitForAsync();
            var admin = await Node.TokenAsync("control-jung", "dark-reader", "district-admin");
            await Eventually.WaitAsync(async () => (await Node.GetJsonAsync($"/api/v1/cameras/{camera}/status", admin)).GetProperty("status").GetString(),
                s => s == "online", TimeSpan.FromSeconds(30), "the camera to be back online");
            await desk.EvaluateAsync("id => window.safetynet.openCamera(id)", camera);
            await WaitForPlayingAsync(desk, "#camera .live video");
            Assert.Equal(0, await denied.CountAsync());
        }
        finally
        {
            await desk.CloseAsync();
            await district.CloseAsync();
        }
    }
}
