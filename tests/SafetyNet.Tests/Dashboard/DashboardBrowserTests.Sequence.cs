using SafetyNet.Contracts.Notifications;
using SafetyNet.Tests.Notifications;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    [Fact]
    public async Task A_gap_in_the_agencys_event_numbers_makes_the_page_read_its_incidents_again()
    {
        var page = await SignedInPageAsync(operatorId: "sequence-operator");
        var first = await OpenIncidentAsync(37.5600, 126.9800, 2, "112-UI-SEQ-1");
        await page.Locator($"#incidents li[data-incident='{first}']").WaitForAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.safetynet.resyncs.gaps"));

        // A heartbeat of a restarted sequencer (a new epoch): the page cannot know what it missed, so it reads everything again.
        await SequencedHubTests.AheadHeartbeatAsync(Node, new EventSequence("agency:seoul-112", "restarted-epoch", 0));
        await page.WaitForFunctionAsync("() => window.safetynet.resyncs.completed >= 1");
        await page.Locator($"#incidents li[data-incident='{first}']").WaitForAsync();
        var second = await OpenIncidentAsync(37.5650, 126.9850, 2, "112-UI-SEQ-2");
        await page.Locator($"#incidents li[data-incident='{second}']").WaitForAsync();
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_gap_in_a_districts_status_numbers_makes_the_map_read_the_cameras_again()
    {
        var page = await SignedInPageAsync(operatorId: "status-sequence-operator");
        await page.WaitForFunctionAsync("() => window.safetynet.resyncs.subscriptions >= 1");
        var reread = page.WaitForRequestAsync(r => r.Url.Contains("/cameras/compact", StringComparison.Ordinal));

        // A baseline, then a heartbeat five ahead of it: Jongno-gu's status changes were numbered that never reached the page.
        await SequencedHubTests.AheadHeartbeatAsync(Node, new EventSequence("district:11010", "status-test-epoch", 0));
        await SequencedHubTests.AheadHeartbeatAsync(Node, new EventSequence("district:11010", "status-test-epoch", 5));
        await reread;
        await page.WaitForFunctionAsync("() => window.safetynet.resyncs.statusCompleted >= 1");
        Assert.True(await page.EvaluateAsync<int>("() => window.safetynet.cameraIds().length") > 0);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.safetynet.resyncs.gaps")); // the incidents were not re-read
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_gap_in_a_districts_flag_numbers_makes_the_officers_page_read_the_flags_again()
    {
        var page = await SignedInPageAsync("control-jung", "sequence-officer", "auditor", "() => document.body.dataset.flagsLive === 'true'");
        var reread = page.WaitForRequestAsync(r => r.Url.Contains("/audit/flags?limit=", StringComparison.Ordinal));

        // Jung-gu's flag sequencer restarted (its silo died): the officer cannot know which flags were raised meanwhile.
        await SequencedHubTests.AheadHeartbeatAsync(Node, new EventSequence("flags:11020", "flags-test-epoch", 0));
        await SequencedHubTests.AheadHeartbeatAsync(Node, new EventSequence("flags:11020", "flags-test-epoch-2", 0));
        await reread;
        await page.CloseAsync();
    }
}
