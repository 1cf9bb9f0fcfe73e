using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SafetyNet.Grains.Media;
using SafetyNet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyNet.Tests.DashboardUi;

/// <summary>
/// A 112 operator opens a camera while the node relaying it has no CPU to spare for the encode the camera needs (the demo
/// cameras' generated pictures are encoded, as a masked or H.265 camera's are). The tile says in Korean that it waits and
/// why, asks again by itself, and plays once the load falls: "not now", never a denial. The node's load is set; the rest
/// is real (HTTP, ffmpeg, Chromium).
/// </summary>
[Trait("Category", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class DashboardBusyNodeTests(ITestOutputHelper output)
{
    private const string Tile = "#camera .live";

    [Fact]
    public async Task The_tile_of_a_camera_the_busy_node_cannot_encode_waits_with_the_reason_in_Korean_and_plays_once_the_load_falls()
    {
        var load = new SettableCpuLoad { RecentShare = 0.96 };
        var node = await TestNode.StartAsync(2_000, extra: new Dictionary<string, string?>
        {
            ["Leases:PrewarmCount"] = "0",
            ["Media:NewEncodeCpuLimit"] = "0.85",
        }, decorate: services => services.AddSingleton<ICpuLoad>(load));
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await DashboardFixture.LaunchChromiumAsync(playwright);
        try
        {
            var page = await DashboardFixture.OpenConsoleAsync(browser, node, output);
            await DashboardFixture.SignInAsync(page, "seoul-112", "busy-node-operator", "operator", DashboardFixture.AccessReady);
            var camera = await page.EvaluateAsync<string>("() => window.safetynet.cameraIds().find(id => window.safetynet.cameraAccess(id) === 'allowed')");
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", camera);

            await page.WaitForFunctionAsync($"() => document.querySelector('{Tile}')?.dataset.waiting === 'true'");
            var shown = await page.TextContentAsync($"{Tile} .state");
            output.WriteLine($"shown: {shown}");
            Assert.Contains("곧 다시 요청합니다", shown);
            Assert.Contains("변환할 서버 여유가 지금 없습니다", shown);
            Assert.False(await page.EvalOnSelectorAsync<bool>(Tile, "t => t.classList.contains('denied') || t.classList.contains('stopped')"), shown);
            await DashboardFixture.ScreenshotAsync(page, "15-camera-tile-busy-node", output);

            load.RecentShare = 0.30;
            await page.WaitForFunctionAsync($@"() => {{
                const tile = document.querySelector('{Tile}'), v = tile?.querySelector('video');
                return tile.dataset.waiting === undefined && v && !v.paused && v.currentTime > 1;
            }}", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        }
        finally
        {
            await node.DisposeAsync();
            node.DeleteData();
        }
    }
}
