using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    private const string AccessReady = DashboardFixture.AccessReady;
    private static readonly string[] AccessClasses = ["allowed", "granted", "incident-only", "denied", "offline", "maintenance"];

    /// <summary>The class every camera should have for <paramref name="token"/>'s agency, computed here from the API alone.</summary>
    private async Task<Dictionary<string, int>> ExpectedAccessCountsAsync(string token)
    {
        using var overviewResponse = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/access-overview", token);
        var overview = await overviewResponse.Content.ReadFromJsonAsync<JsonElement>();
        var cells = overview.GetProperty("districts").EnumerateArray().ToDictionary(
            c => (c.GetProperty("districtCode").GetString(), c.GetProperty("purpose").GetString()), c => c.GetProperty("access").GetString());
        var granted = overview.GetProperty("grantedCameras").EnumerateArray().Select(g => g.GetProperty("cameraId").GetString()).ToHashSet();
        var counts = AccessClasses.ToDictionary(c => c, _ => 0);
        for (var page = 1; ; page++)
        {
            using var list = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras?page={page}&pageSize=20000", token);
            var features = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToArray();
            foreach (var p in features)
            {
                var status = p.GetProperty("status").GetString()!;
                var cls = status is "offline" or "maintenance" ? status
                    : granted.Contains(p.GetProperty("id").GetString()) ? "granted"
                    : cells[(p.GetProperty("district").GetString(), p.GetProperty("purpose").GetString())] switch
                    {
                        "allowed" => "allowed",
                        "during-incident" => "incident-only",
                        _ => "denied",
                    };
                counts[cls]++;
            }
            if (features.Length < 20000) return counts;
        }
    }

    private static async Task<Dictionary<string, int>> ShownAccessCountsAsync(IPage page) =>
        (await page.EvaluateAsync<Dictionary<string, string>>("() => ({ ...document.body.dataset })"))
            .Where(kv => kv.Key.StartsWith("cameras") && kv.Key.Length > "cameras".Length && kv.Key != "camerasLoaded")
            .ToDictionary(kv => string.Concat(kv.Key["cameras".Length..].Select((ch, i) => char.IsUpper(ch) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(ch) : ch.ToString())),
                kv => int.Parse(kv.Value));

    [Fact]
    public async Task Cameras_are_coloured_by_this_operators_access_as_the_API_decides_with_a_legend()
    {
        // Gangnam never shares parking cameras with the 112 center, for this test: some cameras must be "denied".
        var admin = await Node.TokenAsync("control-gangnam", "admin-gangnam", "district-admin");
        await using var neverParking = await PolicyOverride.SetAsync(Node, admin, "11230", "police-112-center", "parking", "never");
        var page = await SignedInPageAsync(ready: AccessReady);
        try
        {
            var (_, token) = await Node.SessionAsync("seoul-112", "colour-check");
            // Incidents of other tests may still be closing: compare once both sides have settled on the same answer.
            var (expected, shown) = await Eventually.WaitAsync(async () => (await ExpectedAccessCountsAsync(token), await ShownAccessCountsAsync(page)),
                x => AccessClasses.All(c => x.Item1[c] == x.Item2.GetValueOrDefault(c, -1)), TimeSpan.FromSeconds(30), "the map's counts to match the API");
            output.WriteLine(string.Join(", ", expected.Select(kv => $"{kv.Key}={kv.Value}")));
            Assert.True(expected["allowed"] > 0 && expected["incident-only"] > 0 && expected["denied"] > 0);
            Assert.Equal(int.Parse(await page.EvalOnSelectorAsync<string>("body", "b => b.dataset.cameras")), AccessClasses.Sum(c => shown[c]));
            foreach (var cls in new[] { "allowed", "incident-only", "denied" })
                Assert.Contains(shown[cls].ToString(), await page.TextContentAsync($".legend [data-legend='{cls}'] .count"));

            // One camera of each colour, as the page classified it, against the real decision for this agency.
            var samples = await page.EvaluateAsync<Dictionary<string, string>>(@"() => {
                const found = {};
                for (const id of window.safetynet.cameraIds()) {
                    const cls = window.safetynet.cameraAccess(id);
                    if (cls && !found[cls]) found[cls] = id;
                }
                return found;
            }");
            var expectedReasons = new Dictionary<string, string[]>
            {
                ["allowed"] = ["standing-policy"], ["incident-only"] = ["incident-required", "outside-jurisdiction"], ["denied"] = ["policy-never"],
            };
            foreach (var (cls, reasons) in expectedReasons)
            {
                using var access = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{samples[cls]}/access?purpose=monitoring", token);
                var decision = await access.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(cls == "allowed", decision.GetProperty("allowed").GetBoolean());
                Assert.Contains(decision.GetProperty("reason").GetString(), reasons);
            }
            await ScreenshotAsync(page, "10-access-colours");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task The_camera_panel_plays_live_video_when_allowed_releases_the_lease_on_close_and_shows_the_reason_when_denied()
    {
        var allowed = await ImportCameraAsync("panel", 37.5590, 126.9905, "crime-prevention", "panel");
        var denied = await ImportCameraAsync("denied", 37.5595, 126.9910, "traffic", "panel");
        var page = await SignedInPageAsync(ready: AccessReady);
        try
        {
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'allowed'", allowed);
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", allowed);
            Assert.Equal("standing-policy", await page.GetAttributeAsync("#camera .allowed", "data-reason"));
            await WaitForPlayingAsync(page, "#camera .live video");
            Assert.Contains("실시간", await page.TextContentAsync("#camera .live .state"));
            await ScreenshotAsync(page, "11-camera-panel-live");

            // Closing the panel releases the lease: the camera's lease ends in the audit trail.
            await page.ClickAsync("#camera button.close");
            Assert.False(await page.IsVisibleAsync("#camera"));
            var auditor = await Node.TokenAsync("seoul-audit", "privacy-officer", "auditor");
            await Eventually.WaitAsync(async () =>
            {
                using var audit = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit?camera={allowed}&kind=lease", auditor);
                return (await audit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()
                    .Any(i => i.GetProperty("entry").GetProperty("outcome").GetString() == "end" && i.GetProperty("entry").GetProperty("reason").GetString() == "released");
            }, ended => ended, TimeSpan.FromSeconds(15), "the released lease in the audit trail");

            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'incident-only'", denied);
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", denied);
            var reason = page.Locator("#camera .denied[data-reason='incident-required']");
            await reason.WaitForAsync();
            Assert.Contains("사건 발생 시에만 허용됩니다", await reason.TextContentAsync());
            Assert.Equal(0, await page.Locator("#camera video, #camera img").CountAsync());
            await ScreenshotAsync(page, "12-camera-panel-denied");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task A_camera_an_incident_grants_plays_in_the_panel_and_stops_with_the_reason_when_the_grant_is_revoked()
    {
        const double lat = 37.5560, lon = 127.0030;
        var cameraId = await ImportCameraAsync("grant", lat, lon, "traffic", "grant");
        var page = await SignedInPageAsync(ready: AccessReady);
        try
        {
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'incident-only'", cameraId);
            var incident = await OpenIncidentAsync(lat, lon, 2, $"112-UI-GRANT-{Guid.NewGuid():N}"[..24]);
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'granted'", cameraId);
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", cameraId);
            Assert.Equal("incident-grant", await page.GetAttributeAsync("#camera .allowed", "data-reason"));
            await WaitForPlayingAsync(page, "#camera .live video");

            var cad = await Node.TokenAsync("seoul-112", "cad", "dispatch-system");
            using (var close = await Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{incident}/close", cad, JsonContent.Create(new { reason = "resolved" })))
                Assert.True(close.IsSuccessStatusCode);
            // After the closing grace the grant is revoked: the player stops and says why.
            var stopped = page.Locator("#camera .live.stopped");
            await stopped.WaitForAsync();
            var ko = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DashboardFixture.RepositoryRoot(), "silo", "dashboard", "src", "i18n", "ko.json"))).RootElement;
            string[] reasons = [ko.GetProperty("reason.incident-closed").GetString()!, ko.GetProperty("reason.grant-ended").GetString()!, ko.GetProperty("leaseRevoked").GetString()!];
            var why = await stopped.GetAttributeAsync("data-stop-reason");
            Assert.Contains(why, reasons);
            Assert.Contains(why!, await stopped.Locator(".state").TextContentAsync());
            Assert.True(await page.EvalOnSelectorAsync<bool>("#camera .live video", "v => v.paused"));
            // The panel itself no longer says "allowed": it says access ended, and why.
            Assert.Contains(why!, await page.Locator("#camera .decision .ended").TextContentAsync());
            Assert.Equal(0, await page.Locator("#camera .decision .allowed").CountAsync());
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'incident-only'", cameraId);
            await ScreenshotAsync(page, "13-camera-panel-revoked");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>
    /// On a busy node the page's reads of what it may view overlap: a grant's event starts a read while an older one is still
    /// on its way. The older answer, arriving last, must not take back the grant the newer one showed. The test holds the
    /// first read's answer (taken before the grant) until the newer read has been shown.
    /// </summary>
    [Fact]
    public async Task An_older_access_answer_arriving_after_a_newer_one_does_not_take_back_a_grant()
    {
        const double lat = 37.5612, lon = 126.9941;
        var cameraId = await ImportCameraAsync("overlap", lat, lon, "traffic", "grant");
        var page = await SignedInPageAsync(ready: AccessReady);
        HeldFirstAnswer? older = null;
        try
        {
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'incident-only'", cameraId);
            var readsBefore = int.Parse(await page.EvaluateAsync<string>("() => document.body.dataset.accessReads ?? '0'"));
            older = await HeldFirstAnswer.OnAsync(page, "**/api/v1/cameras/access-overview");
            // An incident elsewhere starts the first read; its answer is taken at once, before the grant below.
            await OpenIncidentAsync(37.6541, 127.0568, 3, $"112-UI-ELSE-{Guid.NewGuid():N}"[..24]);
            await older.Answered.WaitAsync(TimeSpan.FromMilliseconds(Timeout));
            await OpenIncidentAsync(lat, lon, 2, $"112-UI-OVER-{Guid.NewGuid():N}"[..24]);
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'granted'", cameraId);

            older.Release();
            await page.WaitForFunctionAsync("n => Number(document.body.dataset.accessReads) >= n", readsBefore + older.Requests);
            Assert.Equal("granted", await page.EvaluateAsync<string>("id => window.safetynet.cameraAccess(id)", cameraId));
        }
        finally
        {
            older?.Release();
            await page.CloseAsync();
        }
    }
}
