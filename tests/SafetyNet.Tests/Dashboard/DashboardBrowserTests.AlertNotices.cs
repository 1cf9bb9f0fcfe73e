using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace SafetyNet.Tests.DashboardUi;

/// <summary>The disaster room's alerting gateway, as the situation rooms' dashboards show what it sends.</summary>
public sealed partial class DashboardBrowserTests
{
    private const string HeavyRainForAllOfSeoul = """
        <info><language>ko-KR</language><category>Met</category><event>호우경보</event><urgency>Expected</urgency><severity>Severe</severity>
          <certainty>Likely</certainty><headline>서울 전역 호우경보 발령</headline><area><areaDesc>서울특별시 전체</areaDesc></area></info>
        """;

    // A heavy-rain warning for all of Seoul is no incident (access opens around places), but every situation room sees it,
    // naming the disaster room that sent it: live, on a page opened later, and gone with its cancel.
    [Fact]
    public async Task Journey_disaster_a_warning_for_all_of_Seoul_is_shown_to_every_situation_room_as_a_notice_until_its_cancel()
    {
        var officer = await SignedInPageAsync("seoul-disaster-room", "rain-officer", "operator");
        var fire = await SignedInPageAsync("seoul-119", "rain-watch-119", "operator");
        IPage? later = null;
        try
        {
            var warning = $"rain-{Guid.NewGuid():N}";
            Assert.Equal("shown", (await SendCapAsync(warning, "Alert", HeavyRainForAllOfSeoul)).GetProperty("status").GetString());

            var notice = officer.Locator($"#alert-notices li[data-notice='{warning}']");
            await notice.WaitForAsync();
            Assert.Contains("서울특별시 전체", await notice.TextContentAsync());
            Assert.Contains("서울 전역 호우경보 발령", await notice.TextContentAsync());
            Assert.Contains("카메라 접근을 열지 않습니다", await officer.TextContentAsync("#alert-notices .no-access"));
            Assert.Equal(0, await officer.Locator("#incidents li").Filter(new LocatorFilterOptions { HasText = "서울특별시 전체" }).CountAsync());
            await ScreenshotAsync(officer, "24-disaster-city-notice");
            var fireNotice = fire.Locator($"#alert-notices li[data-notice='{warning}'][data-sender='seoul-disaster-room']");
            await fireNotice.WaitForAsync();
            Assert.Contains("서울 전역 호우경보 발령", await fireNotice.TextContentAsync());
            // The 119 operator reads which room sent it, by kind and name, not by the platform's id for it.
            Assert.Contains("발령: 재난안전상황실 · Seoul Disaster and Safety Situation Room", await fireNotice.TextContentAsync());
            await ScreenshotAsync(fire, "24-fire-city-notice");

            later = await SignedInPageAsync("seoul-112", "night-watch-112", "operator");
            await later.Locator($"#alert-notices li[data-notice='{warning}'][data-sender='seoul-disaster-room']").WaitForAsync();

            Assert.Equal("ended", (await SendCapAsync($"rain-{Guid.NewGuid():N}", "Cancel", CapReferences(warning))).GetProperty("status").GetString());
            foreach (var page in new[] { officer, fire, later })
                await page.Locator($"#alert-notices li[data-notice='{warning}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
            Assert.True(await officer.IsHiddenAsync("#alert-notices"));
        }
        finally
        {
            await officer.CloseAsync();
            await fire.CloseAsync();
            if (later is not null) await later.CloseAsync();
        }
    }

    /// <summary>
    /// A console that is (re)subscribing reads the notices while a warning is posted: the list it reads may be older than the
    /// warning, which reached the page as an event meanwhile. The older list must not take the warning away. The page's read
    /// is held by the test between the server's answer and the page, so the order is certain.
    /// </summary>
    [Fact]
    public async Task A_warning_posted_while_a_console_reads_the_notices_is_not_lost_to_the_older_list()
    {
        var page = await NewPageAsync();
        var older = await HeldFirstAnswer.OnAsync(page, "**/api/v1/incidents/cap/notices");
        var warning = $"rain-{Guid.NewGuid():N}";
        try
        {
            await page.GotoAsync(Node.Http.BaseAddress!.ToString());
            var signingIn = DashboardFixture.SignInAsync(page, "seoul-119", "resubscribing-119", "operator", MapReady);
            await older.Answered.WaitAsync(TimeSpan.FromMilliseconds(Timeout));

            await SendCapAsync(warning, "Alert", HeavyRainForAllOfSeoul);
            var notice = page.Locator($"#alert-notices li[data-notice='{warning}']");
            await notice.WaitForAsync();
            older.Release();
            await page.WaitForFunctionAsync("() => Number(document.body.dataset.alertNoticeReads) >= 1");
            Assert.True(await notice.IsVisibleAsync(), "the older list took away the warning posted while it was read");
            await signingIn;
        }
        finally
        {
            older.Release();
            await SendCapAsync($"rain-{Guid.NewGuid():N}", "Cancel", CapReferences(warning));
            await page.CloseAsync();
        }
    }

    /// <summary>A CAP message from the disaster room's gateway; its answer, which must be a success.</summary>
    private async Task<JsonElement> SendCapAsync(string identifier, string msgType, string rest)
    {
        var gateway = await Node.TokenAsync("seoul-disaster-room", "cap-gateway", "dispatch-system");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/incidents/cap", gateway, new StringContent($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
              <identifier>{identifier}</identifier><sender>safety@seoul.go.kr</sender><sent>2026-11-25T03:00:00+09:00</sent>
              <status>Actual</status><msgType>{msgType}</msgType><scope>Public</scope>{rest}
            </alert>
            """, Encoding.UTF8, "application/xml"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    private static string CapReferences(string identifier) => $"<references>safety@seoul.go.kr,{identifier},2026-11-25T03:00:00+09:00</references>";
}
