using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SafetyNet.Api.Hubs;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Contracts.Reviews;
using SafetyNet.Grains.Demo;
using SafetyNet.Grains.Reference;
using SafetyNet.Tests.DashboardUi;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Spatial;

/// <summary>One node serving the synthetic nation, shared by <see cref="NationServedDistrictsTests"/>.</summary>
public sealed class NationNodeFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Node = await TestNode.StartAsync(cameras: 2_000, extra: new Dictionary<string, string?> { ["Demo:Region"] = "korea" });

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Node.DeleteData();
    }
}

/// <summary>
/// A nation node serves every local government, not only Seoul's: the district list and pages, the reviews and their
/// schedule, the demo agencies and the hub's district subscriptions all reach the districts beyond Seoul.
/// </summary>
[Trait("Category", "Slow")]
public sealed class NationServedDistrictsTests(NationNodeFixture fixture) : IClassFixture<NationNodeFixture>
{
    private const string Unknown = "99999";
    private TestNode Node => fixture.Node;
    private Region Region => Node.App.Services.GetRequiredService<Region>();
    private DistrictReference[] BeyondSeoul => [.. Region.Districts.Where(d => !SeoulDistricts.Exists(d.Code))];

    [Fact]
    public async Task The_district_list_holds_every_district_of_the_nation_and_one_beyond_Seoul_reads_while_an_unknown_code_is_a_404_naming_Korea()
    {
        var token = await Node.TokenAsync("seoul-112", "nation-viewer", "operator");
        using var list = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", token);
        var districts = await list.Content.ReadFromJsonAsync<JsonElement[]>();
        Assert.Equal(Region.Districts.Select(d => d.Code), districts!.Select(d => d.GetProperty("code").GetString()));
        Assert.Equal(2_000, districts!.Sum(d => d.GetProperty("cameraCount").GetInt32()));

        var jeju = BeyondSeoul.First(d => d.Code.StartsWith("39", StringComparison.Ordinal));
        using var one = await Node.SendAsync(HttpMethod.Get, $"/api/v1/districts/{jeju.Code}", token);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        var detail = await one.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(jeju.NameEnglish, detail.GetProperty("district").GetProperty("nameEnglish").GetString());

        using var unknown = await Node.SendAsync(HttpMethod.Get, $"/api/v1/districts/{Unknown}", token);
        Assert.Equal($"There is no district with code '{Unknown}' in Korea.", await ProblemAssert.IsProblemAsync(unknown, 404));
    }

    [Fact]
    public async Task A_privacy_officer_and_admin_beyond_Seoul_read_their_own_districts_review_and_no_other()
    {
        var (own, other) = (BeyondSeoul[0], BeyondSeoul[^1]);
        var control = ControlCenterOf(own.Code);
        var officer = await Node.TokenAsync(control, "privacy-officer", "auditor");
        var admin = await Node.TokenAsync(control, "district-admin", "district-admin");
        var month = DateTimeOffset.UtcNow.ToString("yyyy-MM");

        using var officerOwn = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit/reviews/{own.Code}/{month}?format=json", officer);
        Assert.Equal(HttpStatusCode.OK, officerOwn.StatusCode);
        var report = await officerOwn.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(own.NameEnglish, report.GetProperty("districtNameEnglish").GetString());
        using var adminOwn = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit/reviews/{own.Code}/{month}?format=json", admin);
        Assert.Equal(HttpStatusCode.OK, adminOwn.StatusCode);

        using var officerOther = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit/reviews/{other.Code}/{month}?format=json", officer);
        await ProblemAssert.IsProblemAsync(officerOther, 403);
        using var unknown = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit/reviews/{Unknown}/{month}?format=json", officer);
        Assert.Equal($"There is no district with code '{Unknown}' in Korea.", await ProblemAssert.IsProblemAsync(unknown, 404));
    }

    [Fact]
    public async Task The_hub_subscribes_an_agency_to_its_district_beyond_Seoul_and_the_national_auditor_to_every_districts_flags()
    {
        var (own, other) = (BeyondSeoul[0], BeyondSeoul[^1]);
        await using var police = await ConnectAsync(PoliceStationOf(own.Code), "operator");
        var usage = await police.Connection.InvokeAsync<JsonElement>("SubscribeDistrict", own.Code);
        Assert.Equal((await Node.Grains.GetGrain<Contracts.Districts.IDistrictGrain>(own.Code).GetInfoAsync()).CameraCount,
            usage.GetProperty("cameras").GetInt32());
        var outside = await Assert.ThrowsAsync<HubException>(() => police.Connection.InvokeAsync<JsonElement>("SubscribeDistrict", other.Code));
        Assert.Contains("outside your agency's jurisdiction", outside.Message);
        var unknown = await Assert.ThrowsAsync<HubException>(() => police.Connection.InvokeAsync<JsonElement>("SubscribeDistrict", Unknown));
        Assert.Contains($"There is no district with code '{Unknown}' in Korea.", unknown.Message);

        // A dashboard subscribes to every district on its map at once: the station joins its own district only, its
        // province's 112 room the province's, Seoul's room Seoul's 25; a code not served refuses the call, and so does an empty list.
        var every = Region.Districts.Select(d => d.Code).ToArray();
        Assert.Equal([own.Code], await police.Connection.InvokeAsync<string[]>("SubscribeDistricts", every));
        var province = DemoAgencies.For(Region).Single(a => a.Kind == AgencyKind.Police112Center && a.HasJurisdictionOver(own.Code));
        await using var room = await ConnectAsync(province.Id, "operator");
        Assert.Equal(every.Where(province.HasJurisdictionOver).Order(),
            (await room.Connection.InvokeAsync<string[]>("SubscribeDistricts", every.Concat(every).ToArray())).Order());
        await using var seoulRoom = await ConnectAsync("seoul-112", "operator");
        Assert.Equal(25, (await seoulRoom.Connection.InvokeAsync<string[]>("SubscribeDistricts", every)).Length);
        var unknownInList = await Assert.ThrowsAsync<HubException>(() => room.Connection.InvokeAsync<string[]>("SubscribeDistricts", new[] { own.Code, Unknown }));
        Assert.Contains($"There is no district with code '{Unknown}' in Korea.", unknownInList.Message);
        await Assert.ThrowsAsync<HubException>(() => room.Connection.InvokeAsync<string[]>("SubscribeDistricts", Array.Empty<string>()));

        // The national audit board's flag streams (whose sequencers are asked for heartbeats) are every district's of the nation.
        await using var auditor = await ConnectAsync("national-audit", "auditor");
        await auditor.Connection.InvokeAsync<JsonElement>("SubscribeFlags");
        Assert.Subset(Node.App.Services.GetRequiredService<SubscribedStreams>().All.ToHashSet(),
            Region.Districts.Select(d => EventStreams.Flags(d.Code)).ToHashSet());
    }

    [Fact]
    public async Task The_review_schedule_produces_a_finished_months_report_for_every_district_of_the_nation()
    {
        // Two months back: the schedule's first tick (last month) is an hour after start, and the dashboard test here reads last month's.
        var previous = ReviewMonths.Previous(DateTimeOffset.UtcNow.AddMonths(-1));
        Assert.Equal(Region.Districts.Count, await Node.Grains.GetGrain<IReviewGrain>(0).ProduceMissingAsync(previous));

        var auditor = await Node.TokenAsync("national-audit", "auditor-nation", "auditor");
        using var stored = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit/reviews/{BeyondSeoul[^1].Code}/{previous}?format=json", auditor);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal("automatic", stored.Headers.GetValues("X-SafetyNet-Review-Trigger").Single());
    }

    [Fact]
    public async Task The_dashboard_draws_every_district_of_the_nation_and_a_district_admin_beyond_Seoul_gets_its_policy_and_review()
    {
        var own = BeyondSeoul[0];
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await DashboardFixture.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(Node.Http.BaseAddress!.ToString());
        await DashboardFixture.SignInAsync(page, ControlCenterOf(own.Code), "nation-admin", "district-admin",
            $"() => document.body.dataset.districts === '{Region.Districts.Count}' && document.body.dataset.reviewShown !== undefined" +
            " && document.querySelector('#policy table.policy select[data-kind]') !== null");

        Assert.EndsWith(own.NameEnglish, await page.TextContentAsync($"#map [data-district='{own.Code}']"));
        // At the nation's widest view the labels would pile up: those that would overlap a larger district's wait for a closer view.
        await page.WaitForFunctionAsync("() => document.body.dataset.labelsShown !== undefined");
        var shownAtNation = await LabelsShownWithoutOverlapAsync(page);
        Assert.InRange(shownAtNation, 1, Region.Districts.Count - 1);
        await page.EvaluateAsync("() => window.safetynetMap.setZoom(window.safetynetMap.getZoom() + 2, { animate: false })");
        await page.WaitForFunctionAsync($"() => Number(document.body.dataset.labelsShown) !== {shownAtNation}");
        await LabelsShownWithoutOverlapAsync(page);
        Assert.Equal(own.Code, await page.InputValueAsync("#policy select.district"));
        Assert.Equal(Region.Districts.Count, await page.Locator("#policy select.district option").CountAsync());
        Assert.Equal([own.Code], await page.EvalOnSelectorAllAsync<string[]>("#review select[name='district'] option", "os => os.map(o => o.value)"));
        Assert.StartsWith($"{own.Code}/", await page.EvaluateAsync<string>("() => document.body.dataset.reviewShown"));
        Directory.CreateDirectory(DashboardFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "90-nation-map.png") });
    }

    /// <summary>How many district labels show; fails if any shown label is more than 20 % covered by another.</summary>
    private static async Task<int> LabelsShownWithoutOverlapAsync(IPage page)
    {
        var overlaps = await page.EvaluateAsync<int>("""
            () => {
              const rects = [...document.querySelectorAll('.district-label:not(.crowded) [data-district]')].map((e) => e.getBoundingClientRect());
              let n = 0;
              const covered = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
              rects.forEach((a, i) => rects.slice(i + 1).forEach((b) => { if (covered(a, b) > 0.2 * Math.min(a.width * a.height, b.width * b.height) + 0.5) n++; }));
              return n;
            }
            """);
        Assert.Equal(0, overlaps);
        var shown = await page.Locator(".district-label:not(.crowded)").CountAsync();
        Assert.Equal(shown.ToString(), await page.EvaluateAsync<string>("() => document.body.dataset.labelsShown"));
        return shown;
    }

    private string ControlCenterOf(string code) => DemoAgencyOf(code, AgencyKind.DistrictControlCenter);

    private string PoliceStationOf(string code) => DemoAgencyOf(code, AgencyKind.PoliceStation);

    private string DemoAgencyOf(string code, AgencyKind kind) =>
        DemoAgencies.For(Region).Single(a => a.Kind == kind && a.Districts.SequenceEqual([code])).Id;

    private async Task<Dashboard> ConnectAsync(string agencyId, string role) =>
        await Dashboard.ConnectAsync(Node, await Node.TokenAsync(agencyId, $"hub-{role}", role));
}
