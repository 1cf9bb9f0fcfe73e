using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using SafetyNet.Contracts.Audit;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    private const string AuditReady = DashboardFixture.AuditReady;

    /// <summary>Access decisions (audited) on the cameras around City Hall for a session of <paramref name="agency"/>.</summary>
    /// <summary>
    /// Decisions on Jung-gu's own cameras, which Jung-gu's privacy officer reads: the nearest to the district's centre, as a
    /// console lists them, then each camera's decision, as the camera panel asks for it.
    /// </summary>
    private async Task DecideOnJungCamerasAsync(string agency, int cameras)
    {
        var (_, token) = await Node.SessionAsync(agency, "audit-subject");
        using var nearby = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/nearby?lat=37.5600&lon=126.9960&radius=5000&limit={cameras * 3}", token);
        Assert.True(nearby.IsSuccessStatusCode);
        var jung = (await nearby.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("districtCode").GetString() == "11020").Take(cameras).ToList();
        Assert.Equal(cameras, jung.Count);
        foreach (var item in jung)
        {
            using var decision = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{item.GetProperty("id").GetString()}/access", token);
            Assert.True(decision.IsSuccessStatusCode);
        }
    }

    [Fact]
    public async Task A_district_admin_sees_who_viewed_its_cameras_beside_the_map_and_exports_it()
    {
        await DecideOnJungCamerasAsync("seoul-119", 3);
        var page = await SignedInPageAsync("control-jung", "admin-who-viewed", "district-admin",
            "() => Number(document.body.dataset.auditRecords) > 0 && document.body.dataset.districts === '25'");
        try
        {
            Assert.True(await page.IsVisibleAsync("#map"));
            Assert.True(await page.IsVisibleAsync("aside #audit"));
            Assert.Equal(0, await page.Locator("#audit .chain").CountAsync()); // the chain check is the auditors'
            Assert.Contains("seoul-119", await ColumnAsync(page, 7));
            Assert.All(await ColumnAsync(page, 12), district => Assert.Equal("11020", district));
            Assert.All(await ColumnAsync(page, 8), camera => Assert.False(string.IsNullOrEmpty(camera)));

            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#audit button.export[data-format='csv']"));
            var saved = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.csv");
            await download.SaveAsAsync(saved);
            var lines = await File.ReadAllLinesAsync(saved);
            // Saved as the browser saved it, the file opens in Korean Excel as UTF-8: it starts with the byte order mark.
            Assert.True((await File.ReadAllBytesAsync(saved)).AsSpan().StartsWith(SpreadsheetCsv.Encoding.Preamble));
            File.Delete(saved);
            Assert.StartsWith("seq,occurred_at,kind,", lines[0]);
            Assert.Contains(lines, l => l.Contains(",seoul-119,", StringComparison.Ordinal));
            var district = Array.IndexOf(lines[0].Split(','), "district_code");
            Assert.All(lines.Skip(1), l => Assert.Equal("11020", l.Split(',')[district]));
            await ScreenshotAsync(page, "14-district-admin-who-viewed");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private static Task<string[]> ColumnAsync(IPage page, int column) =>
        page.EvalOnSelectorAllAsync<string[]>($"#audit table.audit tr[data-seq] td:nth-child({column})", "tds => tds.map(td => td.textContent)");

    [Fact]
    public async Task An_auditor_is_told_which_records_search_keys_were_edited_and_rebuilt()
    {
        await DecideOnJungCamerasAsync("seoul-119", 5);
        var auditor = await Node.TokenAsync("control-jung", "privacy-officer", "auditor");
        using (var newest = await Node.SendAsync(HttpMethod.Get, "/api/v1/audit?agency=seoul-119&pageSize=1", auditor))
        {
            var seq = (await newest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].GetProperty("seq").GetInt64();
            await Eventually.WaitAsync(() => Task.FromResult(KeysMark()), mark => mark >= seq, TimeSpan.FromSeconds(30), "the node's indexer to take the new rows");
        }
        // An insider with the key file hides seoul-119's records from searches; the ledger is untouched.
        await using (var file = new SqliteConnection($"Data Source={KeysFile};Pooling=False"))
        {
            await file.OpenAsync();
            await using var edit = file.CreateCommand();
            edit.CommandText = "DELETE FROM audit_keys WHERE agency_id = 'seoul-119'";
            Assert.True(await edit.ExecuteNonQueryAsync() >= 5);
        }

        var page = await SignedInPageAsync("control-jung", "privacy-officer", "auditor", AuditReady);
        try
        {
            var notice = page.Locator("#audit p.search-keys[data-search-keys='rebuilt']");
            await notice.WaitForAsync();
            Assert.True(await page.Locator("#audit .chain.ok[data-chain='ok']").IsVisibleAsync());
            Assert.Matches(@"\d", await notice.TextContentAsync());
            await ScreenshotAsync(page, "08b-audit-search-keys-rebuilt");

            // Verified again: the keys were rebuilt, so nothing disagrees any more and the notice goes.
            await page.ClickAsync("#audit .reverify");
            await page.WaitForFunctionAsync("() => !document.querySelector('#audit p.search-keys') && document.querySelector('#audit .chain.ok')");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private string KeysFile => Path.Combine(Node.DataDirectory, "safetynet.db.audit-keys");

    private long KeysMark()
    {
        using var file = new SqliteConnection($"Data Source={KeysFile};Pooling=False;Mode=ReadOnly");
        file.Open();
        using var read = file.CreateCommand();
        read.CommandText = "SELECT through_seq FROM audit_keys_mark WHERE id = 1";
        return read.ExecuteScalar() is long mark ? mark : 0;
    }

    [Fact]
    public async Task An_auditor_sees_the_records_in_Seoul_time_the_chain_verification_and_filters_and_pages()
    {
        await DecideOnJungCamerasAsync("seoul-119", 60);
        await DecideOnJungCamerasAsync("police-jung", 10);

        var page = await SignedInPageAsync("control-jung", "privacy-officer", "auditor", AuditReady);
        try
        {
            Assert.False(await page.IsVisibleAsync("#map"));
            var chain = page.Locator("#audit .chain.ok[data-chain='ok']");
            Assert.True(await chain.IsVisibleAsync());
            Assert.Equal("ok", await page.EvalOnSelectorAsync<string>("body", "b => b.dataset.auditChain"));

            // English (en-GB, 24 h) to compare the time column with the ledger's instant in Asia/Seoul.
            await page.ClickAsync("#lang");
            await page.WaitForFunctionAsync("() => document.querySelector('#audit h2').textContent.startsWith('Audit trail')");
            Assert.Contains("records checked", await chain.TextContentAsync());
            Assert.Matches(@"^(Signed checkpoint up to record #\d+ .*only hash-chained until the next checkpoint|No signed checkpoint yet: \d+ records)",
                await page.Locator("#audit p.checkpoint").First.TextContentAsync());
            var auditor = await Node.TokenAsync("control-jung", "privacy-officer", "auditor");
            using (var newest = await Node.SendAsync(HttpMethod.Get, "/api/v1/audit?pageSize=50", auditor))
            {
                var items = (await newest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToArray();
                var seqs = (await ColumnAsync(page, 1)).Select(long.Parse).ToArray();
                var shown = items.Where(i => seqs.Contains(i.GetProperty("seq").GetInt64())).ToArray();
                Assert.NotEmpty(shown);
                var first = shown[0];
                var row = page.Locator($"#audit tr[data-seq='{first.GetProperty("seq").GetInt64()}'] td:nth-child(2)");
                var seoul = TimeZoneInfo.ConvertTime(first.GetProperty("entry").GetProperty("occurredAt").GetDateTimeOffset(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul"));
                Assert.Contains(seoul.ToString("HH:mm:ss", CultureInfo.InvariantCulture), await row.TextContentAsync());
            }
            var agencies = (await ColumnAsync(page, 7)).Distinct().ToArray();
            Assert.True(agencies.Length > 1, string.Join(",", agencies));
            Assert.Contains(await ColumnAsync(page, 4), outcome => outcome != "deny"); // police-jung's session start, at least
            await ScreenshotAsync(page, "08-audit-view");

            // Filter by agency: only seoul-119's records, as many as the API gives for the same filter.
            await page.FillAsync("#audit input[name='agency']", "seoul-119");
            await page.SelectOptionAsync("#audit select[name='kind']", "access-decision");
            await page.ClickAsync("#audit form button[type='submit']");
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#audit tr[data-seq] td:nth-child(7)')].every(td => td.textContent === 'seoul-119')");
            using (var filtered = await Node.SendAsync(HttpMethod.Get, "/api/v1/audit?agency=seoul-119&kind=access-decision&pageSize=50", auditor))
            {
                var expected = (await filtered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()
                    .Select(i => i.GetProperty("seq").GetInt64().ToString()).ToArray();
                Assert.Equal(50, expected.Length);
                Assert.Equal(expected, await ColumnAsync(page, 1));
            }
            Assert.All(await ColumnAsync(page, 3), kind => Assert.Equal("access-decision", kind));

            // Page 2 holds the older seoul-119 decisions.
            var lowest = (await ColumnAsync(page, 1)).Select(long.Parse).Min();
            await page.ClickAsync("#audit .pager .next");
            await page.WaitForFunctionAsync("() => document.querySelector('#audit .pager .page').textContent.includes('2')");
            await page.WaitForFunctionAsync("() => document.querySelectorAll('#audit tr[data-seq]').length > 0");
            Assert.All((await ColumnAsync(page, 1)).Select(long.Parse), seq => Assert.True(seq < lowest));
            Assert.All(await ColumnAsync(page, 7), a => Assert.Equal("seoul-119", a));

            // By decision alone: only denials, from the first page again.
            await page.FillAsync("#audit input[name='agency']", "");
            await page.SelectOptionAsync("#audit select[name='kind']", "");
            await page.SelectOptionAsync("#audit select[name='outcome']", "deny");
            await page.ClickAsync("#audit form button[type='submit']");
            await page.WaitForFunctionAsync("() => document.querySelector('#audit .pager .page').textContent.includes('1')");
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#audit tr[data-seq]')].every(tr => tr.dataset.outcome === 'deny')");
            using (var denials = await Node.SendAsync(HttpMethod.Get, "/api/v1/audit?outcome=deny&pageSize=50", auditor))
                Assert.Equal((await denials.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()
                    .Select(i => i.GetProperty("seq").GetInt64().ToString()).ToArray(), await ColumnAsync(page, 1));
            await ScreenshotAsync(page, "09-audit-filtered");
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
