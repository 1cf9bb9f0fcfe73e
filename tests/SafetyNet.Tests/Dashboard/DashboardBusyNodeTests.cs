using System.Net.Http.Json;
using System.Text.Json;
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
/// is real (HTTP, ffmpeg, Chromium). On such a node a 119 operator's incident wall takes the encode of a 112 operator's
/// routine view, whose tile says why, waits, and plays again once there is room.
/// </summary>
[Trait("Category", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class DashboardBusyNodeTests(ITestOutputHelper output)
{
    private const string Tile = "#camera .live";
    private const string Waiting = "곧 다시 요청합니다";
    private const string NoRoomToEncode = "변환할 서버 여유가";
    private const string GaveWay = "우선순위가 높은 사건 열람자에게 내주었습니다";
    private static readonly PageWaitForFunctionOptions VideoWait = new() { Timeout = 60_000 };

    [Fact]
    public async Task The_tile_of_a_camera_the_busy_node_cannot_encode_waits_with_the_reason_in_Korean_and_plays_once_the_load_falls() =>
        await OnNodeAsync(new SettableCpuLoad { RecentShare = 0.96 }, async (node, browser, load) =>
        {
            var page = await SignedInAsync(browser, node, "seoul-112", "busy-node-operator");
            await OpenAllowedCameraAsync(page, "() => true");

            await page.WaitForFunctionAsync($"() => document.querySelector('{Tile}')?.dataset.waiting === 'true'");
            await AssertWaitsSayingWhyAsync(page);
            await DashboardFixture.ScreenshotAsync(page, "15-camera-tile-busy-node", output);

            load.RecentShare = 0.30;
            await PlaysAgainAsync(page);
        });

    [Fact]
    public async Task On_a_busy_node_a_119_incident_wall_takes_the_encode_of_a_112_operators_routine_view_whose_tile_says_why_in_Korean_and_plays_again_once_there_is_room() =>
        await OnNodeAsync(new SettableCpuLoad(), async (node, browser, load) =>
        {
            const double lat = 37.531100, lon = 126.984100; // Yongsan-gu
            // A 112 operator watches a camera of routine interest (standing access) across town.
            var police = await SignedInAsync(browser, node, "seoul-112", "routine-viewer");
            await OpenAllowedCameraAsync(police, $"at => Math.hypot(at.lat - {lat}, at.lng - {lon}) > 0.05");
            await WaitUntilTilePlaysAsync(police);

            // The node becomes too busy for one more encode; then a structure fire comes in to 119.
            load.RecentShare = 0.96;
            var fire = await SignedInAsync(browser, node, "seoul-119", "fire-operator");
            var dispatch = await node.TokenAsync("seoul-119", "cad", "dispatch-system");
            using (var opened = await node.SendAsync(HttpMethod.Post, "/api/v1/incidents", dispatch, JsonContent.Create(new
            {
                type = "119-dispatch", latitude = lat, longitude = lon, priority = 1, externalReference = $"119-BUSY-{Guid.NewGuid():N}"[..20], justification = "structure fire",
            })))
            {
                Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
                var incident = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
                await fire.Locator($"#incidents li[data-incident='{incident}']").ClickAsync();
            }

            // The fire operator's wall plays a camera at the fire, on the encode the routine view held.
            await WaitSayingWhatPlaysAsync(node, fire, "() => [...document.querySelectorAll('#incident .wall .tile video')].some(v => !v.paused && v.currentTime > 1)");
            // The 112 operator's tile says in Korean that its view gave way, and waits: it is neither denied nor stopped.
            await police.WaitForFunctionAsync($"() => document.querySelector('{Tile}')?.dataset.waiting === 'true' && " +
                $"document.querySelector('{Tile} .state').textContent.includes('{GaveWay}')", null, VideoWait);
            var shown = await police.TextContentAsync($"{Tile} .state");
            output.WriteLine($"routine tile: {shown}");
            Assert.Contains(Waiting, shown);
            Assert.False(await police.EvalOnSelectorAsync<bool>(Tile, "t => t.classList.contains('denied') || t.classList.contains('stopped')"), shown);
            await DashboardFixture.ScreenshotAsync(police, "15-camera-tile-encode-yielded", output);
            await DashboardFixture.ScreenshotAsync(fire, "15-incident-wall-busy-node", output);

            // While the node stays busy, its requests again are refused for now, and it still waits, still saying it gave way.
            await police.WaitForFunctionAsync($"() => document.querySelector('{Tile} .state').textContent.includes('{NoRoomToEncode}')", null, VideoWait);
            await AssertWaitsSayingWhyAsync(police);
            Assert.Contains(GaveWay, await police.TextContentAsync($"{Tile} .state"));

            // Once there is room, the routine view plays again by itself, and the fire's camera plays on.
            load.RecentShare = 0.30;
            await PlaysAgainAsync(police);
            Assert.True(await fire.EvaluateAsync<bool>("() => [...document.querySelectorAll('#incident .wall .tile video')].some(v => !v.paused)"));
        });

    [Fact]
    public async Task A_playing_tile_whose_stream_the_busy_node_cannot_start_again_says_it_waits_and_why_in_Korean_and_plays_once_the_load_falls() =>
        await OnNodeAsync(new SettableCpuLoad(), async (node, browser, load) =>
        {
            var page = await SignedInAsync(browser, node, "seoul-112", "stream-lost-operator");
            var camera = await OpenAllowedCameraAsync(page, "() => true");
            await WaitUntilTilePlaysAsync(page);

            // The camera's relay stops while the node is too busy to start its encode again, as one found sending H.265 on a
            // busy node does: the live path cannot resume, and the tile falls back to the playlist, which is refused for now.
            load.RecentShare = 0.96;
            await node.App.Services.GetRequiredService<RelayHost>().StopAsync(camera);
            await page.WaitForFunctionAsync($"() => document.querySelector('{Tile}')?.dataset.waiting === 'true' && " +
                $"document.querySelector('{Tile} .state').textContent.includes('{NoRoomToEncode}')", null, VideoWait);
            await AssertWaitsSayingWhyAsync(page);

            load.RecentShare = 0.30;
            await PlaysAgainAsync(page);
        });

    /// <summary>A node whose CPU load the test sets (encodes refused above 85 %), and a headless Chromium.</summary>
    private async Task OnNodeAsync(SettableCpuLoad load, Func<TestNode, IBrowser, SettableCpuLoad, Task> journey)
    {
        var node = await TestNode.StartAsync(2_000, extra: new Dictionary<string, string?>
        {
            ["Leases:PrewarmCount"] = "0",
            ["Media:NewEncodeCpuLimit"] = "0.85",
        }, decorate: services => services.AddSingleton<ICpuLoad>(load));
        try
        {
            using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            await using var browser = await DashboardFixture.LaunchChromiumAsync(playwright);
            await journey(node, browser, load);
        }
        finally
        {
            await node.DisposeAsync();
            node.DeleteData();
        }
    }

    private async Task<IPage> SignedInAsync(IBrowser browser, TestNode node, string agency, string operatorId)
    {
        var page = await DashboardFixture.OpenConsoleAsync(browser, node, output);
        await DashboardFixture.SignInAsync(page, agency, operatorId, "operator", DashboardFixture.AccessReady);
        return page;
    }

    /// <summary>Opens in the camera panel the first camera the operator may watch under standing access whose position <paramref name="where"/> (a JS predicate) takes.</summary>
    private static async Task<string> OpenAllowedCameraAsync(IPage page, string where)
    {
        var camera = await page.EvaluateAsync<string>($@"() => window.safetynet.cameraIds().find(id =>
            window.safetynet.cameraAccess(id) === 'allowed' && ({where})(window.safetynet.cameraLatLng(id)))");
        await page.EvaluateAsync("id => window.safetynet.openCamera(id)", camera);
        return camera;
    }

    private static Task WaitUntilTilePlaysAsync(IPage page) =>
        page.WaitForFunctionAsync($"() => {{ const v = document.querySelector('{Tile} video'); return v && !v.paused && v.currentTime > 1; }}", null, VideoWait);

    /// <summary>The tile no longer waits, says it is live, and its picture moves on by more than a second.</summary>
    private static async Task PlaysAgainAsync(IPage page)
    {
        await page.WaitForFunctionAsync($@"() => {{
            const tile = document.querySelector('{Tile}'), v = tile?.querySelector('video');
            return tile.dataset.waiting === undefined && v && !v.paused && tile.querySelector('.state').textContent.includes('실시간');
        }}", null, VideoWait);
        var playedFrom = await page.EvalOnSelectorAsync<double>($"{Tile} video", "v => v.currentTime");
        await page.WaitForFunctionAsync($"from => document.querySelector('{Tile} video').currentTime > from + 1", playedFrom, VideoWait);
    }

    /// <summary>Waits for <paramref name="condition"/>; when it never holds, writes what each tile shows and what the node's relays are doing.</summary>
    private async Task WaitSayingWhatPlaysAsync(TestNode node, IPage page, string condition)
    {
        try
        {
            await page.WaitForFunctionAsync(condition, null, VideoWait);
        }
        catch (TimeoutException)
        {
            var tiles = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('.tile, .live')].map(t =>
                `${t.dataset.camera}: ${t.querySelector('.state')?.textContent} path=${t.dataset.path} waiting=${t.dataset.waiting} ` +
                `video=${t.querySelector('video')?.currentTime}/${t.querySelector('video')?.paused ? 'paused' : 'playing'}`)");
            foreach (var tile in tiles) output.WriteLine($"tile {tile}");
            foreach (var stream in node.App.Services.GetRequiredService<RelayHost>().Streams) output.WriteLine($"relay {stream}");
            throw;
        }
    }

    /// <summary>The tile waits, saying in Korean that it asks again and that the node has no CPU for the encode; not denied, not stopped.</summary>
    private async Task AssertWaitsSayingWhyAsync(IPage page)
    {
        var shown = await page.TextContentAsync($"{Tile} .state");
        output.WriteLine($"shown: {shown}");
        Assert.Contains(Waiting, shown);
        Assert.Contains(NoRoomToEncode, shown);
        Assert.False(await page.EvalOnSelectorAsync<bool>(Tile, "t => t.classList.contains('denied') || t.classList.contains('stopped')"), shown);
    }
}
