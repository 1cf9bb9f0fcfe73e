using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;
using Xunit.Abstractions;

namespace SafetyNet.Tests.DashboardUi;

/// <summary>A real node, a real RTSP camera, and the system's headless Chromium driven by Playwright (never a downloaded browser).</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>The page has its cameras and its access overview: an operator's console is ready to use.</summary>
    public const string AccessReady = "() => document.body.dataset.camerasLoaded === 'true' && document.body.dataset.access === 'overview'";

    /// <summary>An auditor's page: the chain checked and the trail's first page shown.</summary>
    public const string AuditReady = "() => document.body.dataset.auditChain !== undefined && Number(document.body.dataset.auditRecords) > 0";

    public RtspTestCamera Camera { get; private set; } = null!;
    public TestNode Node { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots of the main screens, under the repository's artifacts folder (git-ignored); .ci/run prints it.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "artifacts", "dashboard-screenshots");

    public async Task InitializeAsync()
    {
        Camera = await RtspTestCamera.StartAsync(["wall", "panel", "grant", "masks", "latency", "live", "lapse", "hevc", "old", .. DashboardBrowserTests.JourneyCameraPaths],
            h265Paths: ["hevc"], mjpegOverHttp: true);
        Node = await TestNode.StartAsync(5_000, extra: new Dictionary<string, string?>
        {
            ["Media:LingerPeriod"] = "00:00:02",
            ["Leases:PrewarmCount"] = "0",
            ["Incidents:ClosingGrace"] = "00:00:03",
            // Short leases, so every live view here renews many times (the journeys assert at least three renewals); not shorter:
            // a browser renews at half the lifetime left, and a loaded CI machine has delayed a renewal past a 6 s lease.
            ["Leases:Lifetime"] = "00:00:10",
            // The RTSP test camera listens on loopback, which the stream URL policy refuses by default.
            ["Media:StreamUrls:AllowLoopback"] = "true",
            // Its Motion JPEG over HTTP, as an older camera serves it (DashboardBrowserTests.Codecs).
            ["Media:StreamUrls:Schemes"] = "rtsp,rtsps,http",
            // 112 incidents carry the PTZ right, so the camera panel's PTZ controls can be driven (DashboardBrowserTests.Ptz).
            ["Incidents:Types:112-dispatch:GrantsPtz"] = "true",
            // The audit view's test edits search keys and expects verify to find the edit, not the node's own comparison.
            ["Audit:SearchKeys:ScrubInterval"] = "1.00:00:00",
        });
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(Playwright);
    }

    /// <summary>The system's headless Chromium, quiet (no background traffic), allowed to autoplay video.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"],
    });

    /// <summary>Signs in on the page with a development token and waits for <paramref name="ready"/>.</summary>
    /// <summary>
    /// A console page on a node of a test's own (a node restart, a database outage): a situation-room screen's size, its
    /// page errors and refused requests written to the test's output.
    /// </summary>
    public static async Task<IPage> OpenConsoleAsync(IBrowser browser, TestNode node, ITestOutputHelper output)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(60_000);
        page.PageError += (_, e) => output.WriteLine($"page error: {e}");
        page.Response += (_, r) => { if (r.Status >= 400) output.WriteLine($"http {r.Status}: {r.Request.Method} {r.Url}"); };
        await page.GotoAsync(node.Http.BaseAddress!.ToString());
        return page;
    }

    /// <summary>Saves the page under <see cref="ScreenshotDirectory"/> as <paramref name="name"/>.png and says where in the test's output.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, ITestOutputHelper output)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        output.WriteLine($"screenshot: {path}");
    }

    public static async Task SignInAsync(IPage page, string agency, string operatorId, string role, string ready)
    {
        await page.FillAsync("#agency", agency);
        await page.FillAsync("#operator", operatorId);
        await page.SelectOptionAsync("#role", role);
        await page.ClickAsync("#signin-dev");
        await page.WaitForFunctionAsync(ready);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Node.DisposeAsync();
        Node.DeleteData();
        await Camera.DisposeAsync();
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln"))) return dir.FullName;
        return Path.GetTempPath();
    }
}

/// <summary>
/// Browser tests run one at a time: each plays video in headless Chromium, and two at once on a 2-core machine delayed
/// lease renewals past their lease. Together they take about eight minutes, so the run starts them first.
/// </summary>
[CollectionDefinition(Name), StartsFirst]
public sealed class BrowserCollection
{
    public const string Name = "browser";
}

/// <summary>The dashboard in a real browser; one node and browser shared by every part of this class (one file per screen).</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Slow")]
public sealed partial class DashboardBrowserTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private const float Timeout = 60_000;
    private TestNode Node => fixture.Node;

    private const string MapReady = "() => document.body.dataset.districts === '25'";

    private async Task<IPage> SignedInPageAsync(string agency = "seoul-112", string operatorId = "browser-operator", string role = "operator", string ready = MapReady)
    {
        var page = await NewPageAsync();
        page.Console += (_, m) => { if (m.Type == "error") output.WriteLine($"console: {m.Text}"); };
        page.Response += (_, r) => { if (r.Status >= 400) output.WriteLine($"http {r.Status}: {r.Request.Method} {r.Url}"); };
        page.PageError += (_, e) => output.WriteLine($"page error: {e}");
        await page.GotoAsync(Node.Http.BaseAddress!.ToString());
        await DashboardFixture.SignInAsync(page, agency, operatorId, role, ready);
        Assert.False(await page.IsVisibleAsync("#signin"));
        return page;
    }

    private async Task<IPage> NewPageAsync()
    {
        var page = await fixture.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(Timeout);
        return page;
    }

    private Task ScreenshotAsync(IPage page, string name) => DashboardFixture.ScreenshotAsync(page, name, output);

    private async Task<string> OpenIncidentAsync(double lat, double lon, int priority, string reference, string type = "112-emergency-video")
    {
        var cad = await Node.TokenAsync("seoul-112", "cad", "dispatch-system");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents", cad,
            JsonContent.Create(new { type, latitude = lat, longitude = lon, priority, externalReference = reference, justification = "dashboard test" }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Imports a camera of the test camera's <paramref name="path"/>, over RTSP or as Motion JPEG over HTTP.</summary>
    /// <param name="streamUrl">The camera's URL when it is not the test camera's <paramref name="path"/> (a TLS front to it).</param>
    private async Task<string> ImportCameraAsync(string prefix, double lat, double lon, string purpose, string path, bool mjpegOverHttp = false,
        string? streamUrl = null)
    {
        streamUrl ??= mjpegOverHttp ? fixture.Camera.MjpegUrl(path) : fixture.Camera.Url(path);
        var admin = await Node.TokenAsync("safetynet-ops", "root", "platform-admin");
        var cameraId = $"{prefix}-{Guid.NewGuid():N}"[..20];
        using var import = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", admin,
            new StringContent($"id,district,lat,lon,purpose,stream_url\n{cameraId},11020,{lat},{lon},{purpose},{streamUrl}\n", Encoding.UTF8, "text/csv"));
        var report = await import.Content.ReadAsStringAsync();
        Assert.True(import.IsSuccessStatusCode, report);
        Assert.Contains("\"created\":1", report);
        return cameraId;
    }

    /// <summary>Waits until the video in <paramref name="selector"/> plays: past 0.5 s, then another second further.</summary>
    private static async Task WaitForPlayingAsync(IPage page, string selector)
    {
        await page.Locator(selector).WaitForAsync();
        await page.WaitForFunctionAsync($"() => document.querySelector(\"{selector}\")?.currentTime > 0.5", null, new PageWaitForFunctionOptions { Timeout = 90_000 });
        var first = await page.EvalOnSelectorAsync<double>(selector, "v => v.currentTime");
        await page.WaitForFunctionAsync($"t => document.querySelector(\"{selector}\").currentTime > t + 1", first);
    }

    [Fact]
    public async Task The_page_draws_all_25_districts_and_the_cameras_with_no_tiles_no_external_request_and_no_console_error()
    {
        var external = new List<string>();
        var errors = new List<string>();
        var page = await NewPageAsync();
        page.Request += (_, r) => { if (!r.Url.StartsWith(Node.Http.BaseAddress!.ToString()) && !r.Url.StartsWith("data:") && !r.Url.StartsWith("blob:")) external.Add(r.Url); };
        page.Console += (_, m) => { if (m.Type == "error") lock (errors) errors.Add(m.Text); };
        await page.GotoAsync(Node.Http.BaseAddress!.ToString());
        await page.ClickAsync("#signin-dev");
        await page.WaitForFunctionAsync(MapReady);
        Assert.Equal(25, await page.Locator("path.district").CountAsync());
        Assert.Equal(25, await page.Locator("[data-district]").CountAsync());
        // Seoul's opening view shows every district's name (only a label mostly covered by a larger district's waits for a closer view).
        Assert.Equal("25", await page.EvaluateAsync<string>("() => document.body.dataset.labelsShown"));
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.cameras) >= 5000");
        await ScreenshotAsync(page, "01-map");
        Assert.Empty(external);
        lock (errors) Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task An_incident_opened_through_REST_appears_live_on_the_map_and_in_the_list_sorted_by_priority()
    {
        var page = await SignedInPageAsync();
        var low = await OpenIncidentAsync(37.5700, 126.9768, 3, "112-UI-LOW");
        var high = await OpenIncidentAsync(37.5500, 127.0000, 1, "112-UI-HIGH");
        await page.Locator($"#incidents li[data-incident='{high}']").WaitForAsync();
        await page.Locator($"#incidents li[data-incident='{low}']").WaitForAsync();
        var order = await page.EvalOnSelectorAllAsync<string[]>("#incidents li[data-incident]", "els => els.map(e => e.dataset.incident)");
        Assert.True(Array.IndexOf(order, high) < Array.IndexOf(order, low), string.Join(",", order));
        Assert.True(await page.Locator(".incident-icon").CountAsync() >= 2);
        await page.Locator(".incident-icon.newest").WaitForAsync();
        await ScreenshotAsync(page, "02-incidents");
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_session_heartbeats_while_the_page_is_open_and_logging_out_ends_it()
    {
        var page = await SignedInPageAsync(operatorId: "heartbeat-operator");
        try
        {
            var sessionId = await page.GetAttributeAsync("body", "data-session");
            Assert.False(string.IsNullOrEmpty(sessionId));
            // A third of the 2-minute heartbeat timeout, at most 30 s: the first beat comes within 30 s of signing in.
            var beat = await page.WaitForResponseAsync(r => r.Url.EndsWith($"/api/v1/sessions/{sessionId}/heartbeat", StringComparison.Ordinal),
                new PageWaitForResponseOptions { Timeout = 45_000 });
            Assert.Equal(200, beat.Status);

            var logout = page.WaitForResponseAsync(r => r.Request.Method == "DELETE" && r.Url.EndsWith($"/api/v1/sessions/{sessionId}", StringComparison.Ordinal));
            await page.ClickAsync("#logout");
            Assert.Equal(200, (await logout).Status);
            await page.Locator("#signin").WaitForAsync();

            var auditor = await Node.TokenAsync("seoul-audit", "privacy", "auditor");
            using var ended = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit?session={sessionId}&kind=session-end", auditor);
            var records = (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToArray();
            Assert.Equal("logout", Assert.Single(records).GetProperty("entry").GetProperty("reason").GetString());
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task A_token_handed_over_in_the_fragment_signs_in_and_leaves_the_address_bar()
    {
        var token = await Node.TokenAsync("seoul-112", "handed-over", "operator");
        var page = await NewPageAsync();
        try
        {
            await page.GotoAsync($"{Node.Http.BaseAddress}#access_token={token}");
            await page.WaitForFunctionAsync(MapReady);
            Assert.False(await page.IsVisibleAsync("#signin"));
            Assert.Contains("handed-over", await page.TextContentAsync("#who"));
            Assert.False(string.IsNullOrEmpty(await page.GetAttributeAsync("body", "data-session")));
            Assert.DoesNotContain("access_token", page.Url);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Switching_language_changes_the_interface_text()
    {
        var page = await SignedInPageAsync();
        Assert.Equal("SafetyNet 상황실", await page.TextContentAsync("header strong"));
        Assert.Equal("사건", await page.TextContentAsync("aside h2"));
        await page.ClickAsync("#lang");
        await page.WaitForFunctionAsync("() => document.querySelector('header strong').textContent === 'SafetyNet situation room'");
        Assert.Equal("Incidents", await page.TextContentAsync("aside h2"));
        Assert.Equal("Log out", await page.TextContentAsync("#logout"));
        await ScreenshotAsync(page, "03-english");
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_camera_this_operator_may_not_view_shows_the_reason_and_no_picture()
    {
        var (_, token) = await Node.SessionAsync("seoul-112", "probe");
        using var nearby = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&radius=3000&limit=200", token);
        var items = (await nearby.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToArray();
        // Not one that an incident still open from another test grants: the panel would view it under that incident.
        using var overview = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/access-overview", token);
        var granted = (await overview.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("grantedCameras").EnumerateArray()
            .Select(g => g.GetProperty("cameraId").GetString()).ToHashSet();
        string? denied = null;
        foreach (var item in items)
        {
            var id = item.GetProperty("id").GetString()!;
            if (granted.Contains(id)) continue;
            using var access = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{id}/access?purpose=monitoring", token);
            if (!(await access.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("allowed").GetBoolean()) { denied = id; break; }
        }
        Assert.NotNull(denied);

        var page = await SignedInPageAsync();
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.cameras) >= 5000");
        // Zoom onto the camera and click its dot on the canvas, as an operator would.
        var point = await page.EvaluateAsync<JsonElement>(@"async id => {
            window.safetynetMap.setView(window.safetynet.cameraLatLng(id), 18, { animate: false });
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); // the dots are drawn on the next frame
            const box = document.getElementById('map').getBoundingClientRect();
            return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
        }", denied);
        // Hovering names the camera's purpose and district as the operator reads them, not by their codes.
        var camera = items.First(item => item.GetProperty("id").GetString() == denied);
        var (district, purpose) = (camera.GetProperty("districtCode").GetString()!, camera.GetProperty("purpose").GetString()!);
        using var districts = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", token);
        var districtName = (await districts.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .First(d => d.GetProperty("code").GetString() == district).GetProperty("name").GetString();
        await page.Mouse.MoveAsync((float)point.GetProperty("x").GetDouble(), (float)point.GetProperty("y").GetDouble());
        var hover = page.Locator(".leaflet-tooltip-top");
        await hover.WaitForAsync();
        var hoverText = await hover.TextContentAsync();
        Assert.Contains($"{denied} · ", hoverText);
        Assert.Contains($" · {districtName} · ", hoverText);
        Assert.DoesNotContain(district, hoverText!.Replace(denied!, ""));
        Assert.DoesNotContain(purpose, hoverText);
        await page.Mouse.ClickAsync((float)point.GetProperty("x").GetDouble(), (float)point.GetProperty("y").GetDouble());
        var reason = page.Locator("#camera .denied");
        await reason.WaitForAsync();
        Assert.Contains(denied!, await page.TextContentAsync("#camera h3"));
        Assert.False(string.IsNullOrWhiteSpace(await reason.GetAttributeAsync("data-reason")));
        Assert.Equal(0, await page.Locator("#camera img, #camera video").CountAsync());
        await ScreenshotAsync(page, "04-camera-denied");
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_camera_wall_plays_live_video_and_closing_the_incident_stops_the_players_and_says_why()
    {
        const double lat = 37.5641, lon = 126.9971;
        var cameraId = await ImportCameraAsync("wall", lat, lon, "crime-prevention", "wall");

        var page = await SignedInPageAsync();
        var incident = await OpenIncidentAsync(lat, lon, 1, "112-UI-WALL");
        await page.ClickAsync($"#incidents li[data-incident='{incident}']");
        var video = $"#incident .tile[data-camera='{cameraId}'] video";
        await WaitForPlayingAsync(page, video);
        Assert.True(await page.Locator("#incident table.timeline tr").CountAsync() >= 1);
        Assert.Contains(cameraId, await page.TextContentAsync("#incident table.cameras"));
        await ScreenshotAsync(page, "05-camera-wall");

        var cad = await Node.TokenAsync("seoul-112", "cad", "dispatch-system");
        using (var close = await Node.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{incident}/close", cad, JsonContent.Create(new { reason = "resolved" })))
            Assert.True(close.IsSuccessStatusCode);
        var tile = page.Locator($"#incident .tile.stopped[data-camera='{cameraId}']");
        await tile.WaitForAsync();
        Assert.False(string.IsNullOrWhiteSpace(await tile.Locator(".state").TextContentAsync()));
        Assert.Contains("중지됨", await tile.Locator(".state").TextContentAsync());
        Assert.True(await page.EvalOnSelectorAsync<bool>(video, "v => v.paused"));
        output.WriteLine("stopped tile: " + await tile.Locator(".state").TextContentAsync());
        await ScreenshotAsync(page, "06-incident-closed");
        await page.CloseAsync();
    }
}
