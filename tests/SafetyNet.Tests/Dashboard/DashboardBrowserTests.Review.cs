using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Reviews;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    private const string ReviewMonth = "2026-04";

    /// <summary>Views of Jung-gu cameras by two agencies, back-dated into <see cref="ReviewMonth"/>, covered by a checkpoint.</summary>
    private async Task SeedReviewMonthAsync()
    {
        var (from, _) = ReviewMonths.Bounds(ReviewMonth);
        var entries = Enumerable.Range(0, 12).Select(i =>
        {
            var at = from.AddDays(i + 1).AddHours(3);
            var agency = i % 3 == 0 ? "seoul-119" : "police-jung";
            return new AuditEntry(at, i % 4 == 0 ? AuditKinds.Snapshot : AuditKinds.Lease, "allow", "sharing-policy", $"browser-review-{i % 5}", agency, $"s-{i}",
                i % 2 == 0 ? $"inc-browser-{i}" : null, $"{agency}/op-{i % 2}", $$"""{"leaseId":"l-browser-{{i}}","expiresAt":"{{at.AddMinutes(2):O}}"}""", "11020", "emergency-response");
        }).ToArray();
        var audit = Node.Grains.GetGrain<IAuditGrain>(0);
        await audit.AppendManyAsync(entries);
        var head = (await audit.QueryAsync(new AuditQuery(null, null, null, null, null, null, 1, 1))).Items[0].Seq;
        await Eventually.WaitAsync(() => audit.VerifyAsync(), v => v.LastCheckpoint?.Seq >= head, TimeSpan.FromSeconds(30), "a checkpoint over the review month");
    }

    [Fact]
    public async Task A_privacy_officer_reads_prints_and_downloads_the_signed_monthly_review_of_their_district_only()
    {
        await SeedReviewMonthAsync();
        var page = await SignedInPageAsync("control-jung", "privacy-officer", "auditor", "() => document.body.dataset.reviewShown !== undefined");
        try
        {
            Assert.Equal(["11020"], await page.EvalOnSelectorAllAsync<string[]>("#review select[name='district'] option", "os => os.map(o => o.value)"));
            await page.FillAsync("#review input[name='month']", ReviewMonth);
            await page.ClickAsync("#review form button[type='submit']");
            await page.WaitForFunctionAsync($"() => document.body.dataset.reviewShown === '11020/{ReviewMonth}'");

            var auditor = await Node.TokenAsync("control-jung", "privacy-officer", "auditor");
            using var json = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit/reviews/11020/{ReviewMonth}?format=json", auditor);
            var totals = (await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totals");
            Assert.Equal(12, totals.GetProperty("views").GetInt32());
            var report = page.FrameLocator("#review iframe.review-report");
            Assert.Contains("중구", await report.Locator("h1").TextContentAsync());
            Assert.Equal(totals.GetProperty("views").GetInt32().ToString(), await report.Locator("table").First.Locator("td").First.TextContentAsync());
            Assert.Contains(json.Headers.GetValues("X-SafetyNet-Document-Sha256").Single(), await page.Locator("#review .review-signature").TextContentAsync());
            await page.Locator("#review").ScrollIntoViewIfNeededAsync();
            await ScreenshotAsync(page, "40-review-report-ko");

            await page.ClickAsync("#lang");
            await report.Locator("h1:has-text('Jung-gu')").WaitForAsync();
            Assert.Contains("Views per agency", await report.Locator("body").TextContentAsync());
            await page.Locator("#review").ScrollIntoViewIfNeededAsync();
            await ScreenshotAsync(page, "41-review-report-en");

            // The downloaded CSV is the signed one: it verifies as saved, and fails with one byte changed.
            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#review button[data-download='csv']"));
            var saved = Path.Combine(Path.GetTempPath(), $"review-{Guid.NewGuid():N}.csv");
            await download.SaveAsAsync(saved);
            var bytes = await File.ReadAllBytesAsync(saved);
            File.Delete(saved);
            Assert.Equal($"safetynet-review-11020-{ReviewMonth}.csv", download.SuggestedFilename);
            Assert.True(bytes.AsSpan().StartsWith(SpreadsheetCsv.Encoding.Preamble), "the CSV opens in Korean Excel as UTF-8");
            Assert.True(await ReviewVerifiesAsync(auditor, bytes));
            bytes[bytes.Length / 3] ^= 0x01;
            Assert.False(await ReviewVerifiesAsync(auditor, bytes));
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private async Task<bool> ReviewVerifiesAsync(string token, byte[] document)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/audit/reviews/verify") { Content = new ByteArrayContent(document) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Node.Http.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valid").GetBoolean();
    }
}
