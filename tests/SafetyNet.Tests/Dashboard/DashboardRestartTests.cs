using Microsoft.Playwright;
using System.Net.Http.Json;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyNet.Tests.DashboardUi;

/// <summary>
/// The 112 operator's console while the on-call engineer restarts the single node during an incident, the node away for
/// longer than SignalR's own reconnect policy tries: the page keeps its sign-in and session, reconnects by itself, still
/// lists the incident, hears of one opened after the restart, its camera
/// panel plays again without the operator doing anything, and its camera decisions come from the restarted node.
/// </summary>
[Trait("Category", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class DashboardRestartTests(ITestOutputHelper output)
{
    private const string AccessReady = DashboardFixture.AccessReady;
    private const string FlagsLive = "() => document.body.dataset.flagsLive === 'true'";

    /// <summary>A little past the 42 s after which SignalR's default policy stops reconnecting.</summary>
    private static readonly TimeSpan SignalRDefaultReconnectWindow = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task The_operators_console_comes_back_by_itself_after_the_node_restarts()
    {
        // The same address and data directory after the restart, as a node behind its service name.
        var settings = new Dictionary<string, string?> { ["urls"] = $"http://127.0.0.1:{FreePorts.Next()}", ["Leases:PrewarmCount"] = "0" };
        var node = await TestNode.StartAsync(5_000, extra: settings);
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await DashboardFixture.LaunchChromiumAsync(playwright);
        try
        {
            var page = await DashboardFixture.OpenConsoleAsync(browser, node, output);
            await DashboardFixture.SignInAsync(page, "seoul-112", "restart-operator", "operator", AccessReady);
            await page.WaitForFunctionAsync("() => window.safetynet.resyncs.subscriptions >= 1");
            // The district's privacy officer keeps the misuse flags open beside it, on the same node.
            var flags = await DashboardFixture.OpenConsoleAsync(browser, node, output);
            await DashboardFixture.SignInAsync(flags, "control-jung", "restart-privacy-officer", "auditor", FlagsLive);

            var before = await OpenIncidentAsync(node, 37.5665, 126.9780, "RESTART-1");
            await page.Locator($"#incidents li[data-incident='{before}']").WaitForAsync();

            // A standing-policy camera plays in the camera panel (a demo camera: the node's own test pattern).
            var camera = await page.EvaluateAsync<string>("() => window.safetynet.cameraIds().find(id => window.safetynet.cameraAccess(id) === 'allowed')");
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", camera);
            await page.WaitForFunctionAsync("() => document.querySelector('#camera video')?.currentTime > 1");

            var directory = node.DataDirectory;
            await node.DisposeAsync();
            // Away longer than SignalR's own reconnect policy keeps trying (0, 2, 10 and 30 s, then it gives up for good).
            foreach (var away in new[] { page, flags })
                await away.WaitForFunctionAsync($"() => window.safetynet.reconnects.longestMs > {SignalRDefaultReconnectWindow.TotalMilliseconds}",
                    null, new PageWaitForFunctionOptions { Timeout = 120_000, PollingInterval = 500 });
            node = await TestNode.StartAsync(5_000, directory, settings);
            var restarted = System.Diagnostics.Stopwatch.StartNew();

            // Reconnected by itself (a second subscription), the incident still listed, one opened now shown live.
            await page.WaitForFunctionAsync("() => window.safetynet.resyncs.subscriptions >= 2");
            await page.Locator($"#incidents li[data-incident='{before}']").WaitForAsync();
            var after = await OpenIncidentAsync(node, 37.4979, 127.0276, "RESTART-2");
            await page.Locator($"#incidents li[data-incident='{after}']").WaitForAsync();
            Assert.False(await page.IsVisibleAsync("#signin"), "the restart signed the operator out");
            // The flags view came back live by itself too.
            await flags.WaitForFunctionAsync(FlagsLive);
            Assert.False(await flags.IsVisibleAsync("#signin"), "the restart signed the privacy officer out");
            // The camera panel plays again by itself: its stream ended with the old node, and two more seconds of picture
            // (from a new stream, or the old element resuming) can only come from the restarted one. No stop was shown.
            var resumedFrom = await page.EvaluateAsync<double>("() => document.querySelector('#camera video')?.currentTime ?? 0");
            await page.WaitForFunctionAsync("from => { const v = document.querySelector('#camera video'); return v && !v.paused && Math.abs(v.currentTime - from) >= 2; }", resumedFrom);
            output.WriteLine($"Console back and the camera panel playing again {restarted.Elapsed.TotalSeconds:F1} s after the node was ready");

            // The access overview is read again through the same session: the new incident's grant (Gangnam, far from the first
            // incident's cameras) colours its cameras as granted.
            var granted = await IncidentCamerasAsync(node, after);
            Assert.NotEmpty(granted);
            await page.WaitForFunctionAsync("ids => ids.some(id => window.safetynet.cameraAccess(id) === 'granted')", granted);
        }
        finally
        {
            await node.DisposeAsync();
            node.DeleteData();
        }
    }

    private static async Task<string> OpenIncidentAsync(TestNode node, double lat, double lon, string reference)
    {
        var dispatch = await node.TokenAsync("seoul-112", "cad", "dispatch-system");
        var incident = await node.OpenIncidentAsync(dispatch, new { type = "112-emergency-video", latitude = lat, longitude = lon, priority = 2, externalReference = reference });
        return incident.GetProperty("id").GetString()!;
    }

    private static async Task<string[]> IncidentCamerasAsync(TestNode node, string incident)
    {
        var reader = await node.TokenAsync("seoul-112", "restart-check", "operator");
        using var response = await node.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{incident}", reader);
        var view = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return view.GetProperty("cameras").EnumerateArray().Select(c => c.GetProperty("cameraId").GetString()!).Take(5).ToArray();
    }
}
