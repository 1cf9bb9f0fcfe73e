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
        await SequencedHubTests.AheadHeartbeatAsync(Node, new EventSequence("seoul-112", "restarted-epoch", 0));
        await page.WaitForFunctionAsync("() => window.safetynet.resyncs.completed >= 1");
        await page.Locator($"#incidents li[data-incident='{first}']").WaitForAsync();
        var second = await OpenIncidentAsync(37.5650, 126.9850, 2, "112-UI-SEQ-2");
        await page.Locator($"#incidents li[data-incident='{second}']").WaitForAsync();
        await page.CloseAsync();
    }
}
