using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    /// <summary>
    /// An operator's browser stalls (a laptop lid closed, a lost network) past the lease's end: the renewals that were due
    /// never reach the node. When it is back, the panel asks for a new lease, as a new audited decision, and plays on; it does
    /// not leave the operator in front of a stopped tile.
    /// </summary>
    [Fact]
    public async Task A_lease_that_lapsed_while_its_renewals_could_not_reach_the_node_is_asked_for_again_and_the_panel_plays_on()
    {
        var cameraId = await ImportCameraAsync("lapse", 37.5601, 126.9921, "crime-prevention", "lapse");
        var page = await SignedInPageAsync(operatorId: "lapse-operator", ready: AccessReady);
        try
        {
            var leaseRequests = 0;
            page.Request += (_, request) =>
            {
                if (request.Method == "POST" && request.Url.EndsWith($"/cameras/{cameraId}/leases", StringComparison.Ordinal)) Interlocked.Increment(ref leaseRequests);
            };
            await page.WaitForFunctionAsync("id => window.safetynet.cameraAccess(id) === 'allowed'", cameraId);
            await page.EvaluateAsync("id => window.safetynet.openCamera(id)", cameraId);
            await WaitForPlayingAsync(page, "#camera .live video");
            Assert.Equal(1, leaseRequests);

            await page.RouteAsync("**/leases/*/renew", route => route.AbortAsync());
            var outcome = await page.WaitForFunctionAsync(@"() => {
                const tile = document.querySelector('#camera .live');
                return tile.dataset.reopens === '1' ? 'reopened' : tile.classList.contains('stopped') ? 'stopped: ' + tile.querySelector('.state').textContent : false;
            }", null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 100 });
            Assert.Equal("reopened", await outcome.JsonValueAsync<string>());
            await page.UnrouteAsync("**/leases/*/renew");

            await WaitForPlayingAsync(page, "#camera .live video");
            var renewals = await page.GetAttributeAsync("#camera .live", "data-renewals");
            await page.WaitForFunctionAsync("before => Number(document.querySelector('#camera .live').dataset.renewals || 0) > Number(before || 0)", renewals,
                new PageWaitForFunctionOptions { Timeout = 30_000 });
            Assert.False(await page.EvalOnSelectorAsync<bool>("#camera .live", "c => c.classList.contains('stopped')"), "the panel stopped");
            Assert.Equal(2, leaseRequests);

            // The node ended the first lease as lapsed, and the second lease is a decision of its own in the ledger.
            var auditor = await Node.TokenAsync("seoul-audit", "lapse-auditor", "auditor");
            using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit?cameraId={cameraId}&pageSize=100", auditor);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var entries = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("entry")).ToArray();
            string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;
            Assert.Equal(2, entries.Count(e => Text(e, "kind") == "lease" && Text(e, "outcome") == "allow" && Text(e, "actor") == "seoul-112/lapse-operator"));
            Assert.Contains(entries, e => Text(e, "kind") == "revocation" && Text(e, "reason") == "lease-expired");
            await ScreenshotAsync(page, "15-camera-panel-after-a-lapsed-lease");
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
