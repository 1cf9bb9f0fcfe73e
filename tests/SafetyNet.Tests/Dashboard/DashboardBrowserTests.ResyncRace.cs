using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Notifications;

namespace SafetyNet.Tests.DashboardUi;

public sealed partial class DashboardBrowserTests
{
    private const char RecordSeparator = '\u001e';

    /// <summary>
    /// A resync's answer is read before an incident opens, and the incident's event reaches the page before that answer
    /// does (the page's SignalR socket runs through a relay that holds the answer). The answer must not drop the incident.
    /// </summary>
    [Fact]
    public async Task An_incident_opened_while_a_resync_answer_is_on_its_way_stays_listed()
    {
        var held = new ConcurrentQueue<string>();
        var subscribeCalls = new ConcurrentDictionary<string, byte>();
        var holding = false;
        IWebSocketRoute? toPage = null;
        var page = await NewPageAsync();
        await page.RouteWebSocketAsync(new Regex("/hubs/operations"), ws =>
        {
            toPage = ws;
            var server = ws.ConnectToServer();
            ws.OnMessage(frame =>
            {
                foreach (var message in Messages(frame.Text))
                    if (Volatile.Read(ref holding) && message.Contains("\"SubscribeIncidentCards\"", StringComparison.Ordinal))
                        subscribeCalls.TryAdd(JsonDocument.Parse(message).RootElement.GetProperty("invocationId").GetString()!, 0);
                if (frame.Text is { } text) server.Send(text);
                else server.Send(frame.Binary!);
            });
            server.OnMessage(frame =>
            {
                foreach (var message in Messages(frame.Text))
                {
                    if (IsCompletionOf(message, subscribeCalls)) held.Enqueue(message + RecordSeparator);
                    else ws.Send(message + RecordSeparator);
                }
            });
        });
        await page.GotoAsync(Node.Http.BaseAddress!.ToString());
        await DashboardFixture.SignInAsync(page, "seoul-112", "race-operator", "operator", MapReady);
        await page.WaitForFunctionAsync("() => window.safetynet.resyncs.subscriptions >= 1");

        // Where the agency's numbers stand, from a second console: the page, on the same node, has the same baseline.
        var position = await AgencyPositionAsync();
        Volatile.Write(ref holding, true);
        await SequencedHubTests.AheadHeartbeatAsync(Node, position with { Number = position.Number + 5 });
        await Eventually.WaitAsync(() => Task.FromResult(held.Count), n => n >= 1, TimeSpan.FromSeconds(30), "the page's resync answer to be held");

        var opened = await OpenIncidentAsync(37.5720, 126.9760, 2, "112-UI-RACE");
        await page.Locator($"#incidents li[data-incident='{opened}']").WaitForAsync();
        Volatile.Write(ref holding, false);
        while (held.TryDequeue(out var answer)) toPage!.Send(answer);
        await page.WaitForFunctionAsync("() => window.safetynet.resyncs.completed >= 1");
        Assert.True(await page.Locator($"#incidents li[data-incident='{opened}']").IsVisibleAsync(), "the older answer dropped the incident");
        await page.CloseAsync();
    }

    private static IEnumerable<string> Messages(string? frame) =>
        (frame ?? "").Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries);

    private static bool IsCompletionOf(string message, ConcurrentDictionary<string, byte> invocations)
    {
        if (!message.Contains("\"type\":3", StringComparison.Ordinal)) return false;
        using var json = JsonDocument.Parse(message);
        return json.RootElement.TryGetProperty("invocationId", out var id) && invocations.ContainsKey(id.GetString()!);
    }

    private async Task<EventSequence> AgencyPositionAsync()
    {
        var token = await Node.TokenAsync("seoul-112", "race-watch", "operator");
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Node.Http.BaseAddress!, "/hubs/operations"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var positions = new ConcurrentQueue<EventSequence>();
        connection.On<JsonElement>(DashboardEventNames.SequencePosition, p =>
            positions.Enqueue(p.GetProperty("sequence").Deserialize<EventSequence>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!));
        await connection.StartAsync();
        await connection.InvokeAsync<JsonElement>("SubscribeIncidents");
        // Two heartbeats: the page has had at least one of them too.
        await Eventually.WaitAsync(() => Task.FromResult(positions.Count), n => n >= 2, TimeSpan.FromSeconds(15), "two heartbeats of the 112 centre's stream");
        return positions.Last();
    }
}
