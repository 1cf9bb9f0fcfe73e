using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Api.Hubs;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Notifications;

/// <summary>Real SignalR clients on a real node: an agency's events arrive numbered one after another, and a gap makes the client resync.</summary>
[Collection(IncidentNodeCollection.Name)]
public sealed class SequencedHubTests(IncidentNodeFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task An_agencys_events_arrive_numbered_in_order_and_a_heartbeat_ahead_of_them_triggers_a_resync()
    {
        var token = await Node.TokenAsync("seoul-112", "numbered-wall", "operator");
        await using var raw = new HubConnectionBuilder()
            .WithUrl(new Uri(Node.Http.BaseAddress!, "/hubs/operations"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var numbered = new List<(string Name, EventSequence Sequence)>();
        foreach (var name in new[] { DashboardEventNames.IncidentOpened, DashboardEventNames.IncidentUpdated, DashboardEventNames.IncidentClosed,
                     DashboardEventNames.AccessGranted, DashboardEventNames.AccessRevoked })
            raw.On<JsonElement>(name, p => { lock (numbered) numbered.Add((name, p.GetProperty("sequence").Deserialize<EventSequence>(Json)!)); });
        await raw.StartAsync();
        await raw.InvokeAsync<JsonElement>("SubscribeIncidents");
        await using var watcher = await IncidentWatcher.StartAsync(Node.Http.BaseAddress!.ToString().TrimEnd('/'), "seoul-112", token);

        var cad = await Node.TokenAsync("seoul-112", "cad", "dispatch-system");
        var opened = new List<string>();
        for (var i = 0; i < 3; i++)
            opened.Add((await Node.OpenIncidentAsync(cad, new { type = "112-emergency-video", latitude = 37.55 + i * 0.01, longitude = 126.98 })).GetProperty("id").GetString()!);

        await Eventually.WaitAsync(() => Task.FromResult(numbered.Count(n => n.Name == DashboardEventNames.IncidentOpened)), c => c >= 3, TimeSpan.FromSeconds(30), "three numbered incidentOpened events");
        List<(string Name, EventSequence Sequence)> seen;
        lock (numbered) seen = [.. numbered];
        Assert.All(seen, n => Assert.Equal("agency:seoul-112", n.Sequence.Stream));
        Assert.Single(seen.Select(n => n.Sequence.Epoch).Distinct());
        var numbers = seen.Select(n => n.Sequence.Number).ToArray();
        Assert.Equal(Enumerable.Range((int)numbers[0], numbers.Length).Select(n => (long)n), numbers);
        await Eventually.WaitAsync(() => Task.FromResult(watcher.Open), o => opened.All(o.Contains), TimeSpan.FromSeconds(30), "the watcher to list the new incidents");
        Assert.Equal(0, watcher.Resyncs);

        // Events the node never delivered: the sequencer's heartbeat says more were numbered than arrived.
        var last = seen[^1].Sequence;
        await AheadHeartbeatAsync(Node, last with { Number = last.Number + 5 });
        await Eventually.WaitAsync(() => Task.FromResult(watcher.Resyncs), r => r >= 1, TimeSpan.FromSeconds(30), "the watcher to resync after the gap");
        Assert.True((await watcher.DirectoryAsync()).SetEquals(watcher.Open));
    }

    /// <summary>Delivers, through this node's real forwarder, a heartbeat claiming the stream has reached <paramref name="position"/>.</summary>
    internal static Task AheadHeartbeatAsync(TestNode node, EventSequence position) =>
        node.App.Services.GetRequiredService<DashboardEventForwarder>().OnEventsAsync([
            EventStreams.Addressed(position.Stream, DashboardEventNames.SequencePosition, JsonSerializer.Serialize(new { sequence = position }, Json), DateTimeOffset.UtcNow)
                with { Sequence = position.Number, Epoch = position.Epoch }]);
}
