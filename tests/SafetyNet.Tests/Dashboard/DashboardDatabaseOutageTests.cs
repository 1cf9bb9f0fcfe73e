using Microsoft.Playwright;
using SafetyNet.Tests.Cluster;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyNet.Tests.DashboardUi;

/// <summary>
/// A 112 operator watches a camera in the console while PostgreSQL is out of reach for longer than the view's lease:
/// refusing connections (down), or silent (a network that drops packets, a hung server: nothing is refused, nothing
/// answers). The node cannot audit a renewal or a new view, so it grants none; but that is "not now", not "denied": the
/// tile says it waits, asks again, and plays by itself once the database is back, under a new lease that is in the
/// ledger. A decision asked meanwhile is refused with 503 and Retry-After, never with a 500 and never as a denial.
/// </summary>
[Trait("Category", "Slow")]
[Collection(BrowserCollection.Name)]
public sealed class DashboardDatabaseOutageTests(ITestOutputHelper output)
{
    private const string AccessReady = DashboardFixture.AccessReady;
    private const string Tile = "#camera .live";
    private const string AuditReady = DashboardFixture.AuditReady;
    private const string SearchTrail = "#audit form.filters button[type=submit]";

    [Theory]
    [InlineData("refused")]
    [InlineData("silent")]
    public async Task The_live_tile_waits_out_a_database_outage_longer_than_its_lease_and_plays_again_by_itself(string outage)
    {
        await using var database = await TestDatabase.CreateAsync();
        var (network, throughRelay) = SilencingRelay.InFrontOf(database.PooledConnectionString);
        await using var _ = network;
        var node = await TestNode.StartAsync(2_000, extra: TestNode.OnPostgres(throughRelay, "outage-test", new()
        {
            ["Leases:PrewarmCount"] = "0",
            ["Leases:Lifetime"] = "00:00:08",
        }));
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await DashboardFixture.LaunchChromiumAsync(playwright);
        try
        {
            var (_, secondConsole) = await node.SessionAsync("seoul-112", "outage-second-console");
            var page = await DashboardFixture.OpenConsoleAsync(browser, node, output);
            await DashboardFixture.SignInAsync(page, "seoul-112", "outage-operator", "operator", AccessReady);
            var cameras = await page.EvaluateAsync<string[]>("() => window.safetynet.cameraIds().filter(id => window.safetynet.cameraAccess(id) === 'allowed').slice(0, 2)");
            Assert.Equal(2, cameras.Length);
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", cameras[0]);
            await page.WaitForFunctionAsync($"() => document.querySelector('{Tile} video')?.currentTime > 1");
            var auditorPage = await DashboardFixture.OpenConsoleAsync(browser, node, output);
            await DashboardFixture.SignInAsync(auditorPage, "seoul-audit", "outage-auditor", "auditor", AuditReady);

            await using (outage == "silent" ? network.Silenced() : await database.OutageAsync())
            {
                using var decision = await node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{cameras[1]}/access?purpose=monitoring", secondConsole);
                var detail = await ProblemAssert.IsProblemAsync(decision, 503);
                Assert.True(decision.Headers.RetryAfter is not null, $"no Retry-After on: {detail}");

                // The lease runs out while nothing can be audited: the tile says it waits; it does not stop nor show a denial.
                var outcome = await page.WaitForFunctionAsync($@"() => {{
                    const tile = document.querySelector('{Tile}');
                    return tile.dataset.waiting === 'true' ? 'waiting' : tile.classList.contains('stopped') ? 'stopped: ' + tile.querySelector('.state').textContent : false;
                }}", null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 100 });
                Assert.Equal("waiting", await outcome.JsonValueAsync<string>());
                var waiting = await page.TextContentAsync($"{Tile} .state");
                Assert.False(await page.EvalOnSelectorAsync<bool>(Tile, "t => t.classList.contains('denied')"), waiting);
                // Said in the console's language (Korean), not in the server's English detail.
                Assert.Contains("곧 다시 요청합니다", waiting);
                Assert.DoesNotMatch("[A-Za-z]+ [a-z]+ [a-z]+", waiting);

                // An auditor searching the trail meanwhile is told why at once (the search waited 30 s for the driver before), in Korean.
                await auditorPage.ClickAsync(SearchTrail);
                await auditorPage.WaitForFunctionAsync("() => document.querySelector('#audit p.error').textContent.includes('데이터베이스에 연결할 수 없습니다')",
                    null, new PageWaitForFunctionOptions { Timeout = 15_000 });
            }

            // The database is back: the same tile plays again without the operator doing anything.
            var resumedFrom = await page.EvaluateAsync<double>($"() => document.querySelector('{Tile} video')?.currentTime ?? 0");
            await page.WaitForFunctionAsync($@"from => {{
                const tile = document.querySelector('{Tile}'), v = tile.querySelector('video');
                return tile.dataset.waiting === undefined && v && !v.paused && Math.abs(v.currentTime - from) >= 2;
            }}", resumedFrom);
            Assert.False(await page.EvalOnSelectorAsync<bool>(Tile, "t => t.classList.contains('stopped')"), "the tile stopped");
            Assert.Equal("1", await page.GetAttributeAsync(Tile, "data-reopens"));

            // The auditor's next search works, and shows the trail.
            await auditorPage.ClickAsync(SearchTrail);
            await auditorPage.WaitForFunctionAsync("() => document.querySelector('#audit p.error').textContent === '' && Number(document.body.dataset.auditRecords) > 0");

            // Both views are in the ledger, and the ledger is intact.
            var auditor = await node.TokenAsync("seoul-audit", "outage-auditor", "auditor");
            var leases = (await node.GetJsonAsync($"/api/v1/audit?cameraId={cameras[0]}&pageSize=100", auditor)).GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("entry"))
                .Count(e => e.GetProperty("kind").GetString() == "lease" && e.GetProperty("outcome").GetString() == "allow");
            Assert.Equal(2, leases);
            var verified = await node.VerifyLedgerAsync(auditor);
            Assert.True(verified.Intact, verified.Problem);
        }
        finally
        {
            network.Speak(); // a node leaving the cluster writes to the database
            await node.DisposeAsync();
            node.DeleteData();
        }
    }
}
