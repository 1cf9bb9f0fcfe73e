using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SafetyNet.Contracts.Notifications;
using SafetyNet.Grains.Incidents;
using SafetyNet.Grains.Notifications;

namespace SafetyNet.Tests.Notifications;

/// <summary>The rules of fan-out, without a cluster: numbering and heartbeats, gap detection, batching per node, group commit.</summary>
public sealed class SequencingTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Events_are_numbered_per_stream_and_the_number_is_written_into_the_payload_once()
    {
        var sequence = new StreamSequence("agency:police-jung", new FakeTimeProvider(Start));
        var first = sequence.Number(Event("""{"id":"inc-1","cameras":[1,2]}""", "police-jung"));
        var second = sequence.Number(Event("{}"));

        Assert.Equal([1L, 2L], new[] { first.Sequence, second.Sequence });
        Assert.Equal(["police-jung"], first.Agencies);
        using var payload = JsonDocument.Parse(first.PayloadJson);
        Assert.Equal("inc-1", payload.RootElement.GetProperty("id").GetString());
        Assert.Equal(2, payload.RootElement.GetProperty("cameras").GetArrayLength());
        var stamped = payload.RootElement.GetProperty("sequence").Deserialize<EventSequence>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(new EventSequence("agency:police-jung", sequence.Epoch, 1), stamped);
        using var empty = JsonDocument.Parse(second.PayloadJson);
        Assert.Equal(2, empty.RootElement.GetProperty("sequence").GetProperty("number").GetInt64());
        Assert.Throws<ArgumentException>(() => sequence.Number(Event("[1]")));
    }

    [Fact]
    public void Each_activation_has_its_own_epoch_and_heartbeats_go_out_at_most_once_a_second()
    {
        var clock = new FakeTimeProvider(Start);
        var sequence = new StreamSequence("agency:seoul-112", clock);
        Assert.NotEqual(sequence.Epoch, new StreamSequence("agency:seoul-112", clock).Epoch);

        var announced = sequence.HeartbeatIfDue()!;
        Assert.Equal((DashboardEventNames.SequencePosition, 0L, sequence.Epoch), (announced.Name, announced.Sequence, announced.Epoch));
        sequence.Number(Event("{}"));
        Assert.Null(sequence.HeartbeatIfDue());
        clock.Advance(StreamSequence.HeartbeatInterval);
        Assert.Equal(1, sequence.HeartbeatIfDue()!.Sequence);
    }

    [Fact]
    public void A_dashboard_sees_skipped_numbers_new_epochs_and_a_heartbeat_ahead_but_not_repeats()
    {
        var tracker = new SequenceTracker();
        Assert.False(tracker.Observe(null, isHeartbeat: false));
        Assert.False(tracker.Observe(new("a", "e1", 7), isHeartbeat: false)); // the first sets the baseline
        Assert.False(tracker.Observe(new("a", "e1", 8), isHeartbeat: false));
        Assert.False(tracker.Observe(new("a", "e1", 8), isHeartbeat: true));
        Assert.False(tracker.Observe(new("a", "e1", 8), isHeartbeat: false)); // a repeat is no loss
        Assert.True(tracker.Observe(new("a", "e1", 10), isHeartbeat: false));
        Assert.False(tracker.Observe(new("a", "e1", 11), isHeartbeat: false));
        Assert.True(tracker.Observe(new("a", "e1", 12), isHeartbeat: true)); // event 12 never came
        Assert.True(tracker.Observe(new("a", "e2", 0), isHeartbeat: true)); // the sequencer restarted
        Assert.False(tracker.Observe(new("a", "e2", 1), isHeartbeat: false));
        tracker.Reset();
        Assert.False(tracker.Observe(new("a", "e3", 40), isHeartbeat: false));
    }

    [Fact]
    public void Each_stream_is_tracked_on_its_own()
    {
        var tracker = new SequenceTracker();
        Assert.False(tracker.Observe(new("agency:seoul-112", "e1", 5), isHeartbeat: false));
        Assert.False(tracker.Observe(new("district:11020", "d1", 90), isHeartbeat: false)); // another stream's baseline, not a gap
        Assert.False(tracker.Observe(new("agency:seoul-112", "e1", 6), isHeartbeat: false));
        Assert.True(tracker.Observe(new("district:11020", "d1", 92), isHeartbeat: false));
        Assert.False(tracker.Observe(new("agency:seoul-112", "e1", 6), isHeartbeat: true));
        Assert.True(tracker.Observe(new("district:11020", "d2", 0), isHeartbeat: true));
    }

    [Fact]
    public void An_event_goes_to_each_agency_of_its_audience_or_else_to_its_districts_flags_or_status_stream()
    {
        var incident = Event("{}", "seoul-112", "police-jung");
        Assert.Equal([("agency:seoul-112", new[] { "seoul-112" }), ("agency:police-jung", ["police-jung"])],
            EventStreams.Of(incident).Select(p => (p.Stream, p.Event.Agencies)));
        var status = Event("{}") with { Name = DashboardEventNames.CameraStatusChanged, IncidentId = null };
        Assert.Equal(["district:11020"], EventStreams.Of(status).Select(p => p.Stream));
        var flag = Event("{}") with { Name = DashboardEventNames.MisuseFlagRaised, AuditorsOnly = true };
        Assert.Equal(["flags:11020"], EventStreams.Of(flag).Select(p => p.Stream));
        Assert.Equal(["flags:*"], EventStreams.Of(flag with { DistrictCode = null }).Select(p => p.Stream));
        Assert.Empty(EventStreams.Of(status with { DistrictCode = null }));
    }

    [Fact]
    public void A_heartbeat_goes_to_its_streams_audience_only()
    {
        var clock = new FakeTimeProvider(Start);
        var agency = new StreamSequence("agency:seoul-112", clock).HeartbeatIfDue()!;
        Assert.Equal(("seoul-112", null, false), Audience(agency));
        var district = new StreamSequence("district:11020", clock).HeartbeatIfDue()!;
        Assert.Equal(("", "11020", false), Audience(district));
        var flags = new StreamSequence("flags:11020", clock).HeartbeatIfDue()!;
        Assert.Equal(("", "11020", true), Audience(flags));
        var allFlags = new StreamSequence("flags:*", clock).HeartbeatIfDue()!;
        Assert.Equal(("", null, true), Audience(allFlags));
        using var payload = JsonDocument.Parse(district.PayloadJson);
        Assert.Equal("district:11020", payload.RootElement.GetProperty("sequence").GetProperty("stream").GetString());
        Assert.Throws<ArgumentException>(() => new StreamSequence("nobody", clock).HeartbeatIfDue());
    }

    [Fact]
    public void Batches_hold_at_most_a_hundred_events_per_node_in_order()
    {
        var nodes = new[] { Node("n1"), Node("n2") };
        var batches = new NodeBatches();
        var sequence = new StreamSequence("agency:seoul-112", new FakeTimeProvider(Start));
        var full = Enumerable.Range(0, 250).Select(_ => batches.Add(nodes, sequence.Number(Event("{}")))).ToArray();
        Assert.Equal(NodeBatches.MaxBatch - 1, Array.IndexOf(full, true));

        var taken = new List<IReadOnlyList<(DashboardNode Node, DashboardEvent[] Batch)>>();
        while (!batches.IsEmpty) taken.Add(batches.TakeBatches());
        Assert.Equal([200, 200, 100], taken.Select(t => t.Sum(b => b.Batch.Length)));
        foreach (var node in nodes)
            Assert.Equal(Enumerable.Range(1, 250).Select(i => (long)i), taken.SelectMany(t => t.Where(b => b.Node == node).SelectMany(b => b.Batch)).Select(e => e.Sequence));
        Assert.Equal(TimeSpan.FromMilliseconds(15), NodeBatches.FlushDelay);
    }

    [Fact]
    public async Task Summaries_that_arrive_during_a_write_go_together_in_the_next_one()
    {
        var writes = new List<string[]>();
        var inFlight = new TaskCompletionSource();
        var commit = new GroupCommit<string, string>(async batch =>
        {
            writes.Add([.. batch]);
            if (writes.Count == 1) await inFlight.Task;
        });
        var first = commit.WriteAsync("inc-1", "inc-1 open");
        var waiting = new[] { commit.WriteAsync("inc-2", "inc-2 open"), commit.WriteAsync("inc-3", "inc-3 open"), commit.WriteAsync("inc-2", "inc-2 closing") };
        Assert.False(first.IsCompleted);
        inFlight.SetResult();
        await Task.WhenAll(waiting.Append(first));
        Assert.Equal([["inc-1 open"], ["inc-2 closing", "inc-3 open"]], writes.Select(w => w.Order().ToArray()));

        var failing = new GroupCommit<string, string>(_ => throw new InvalidOperationException("database gone"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WriteAsync("inc-4", "x"));
    }

    private static DashboardEvent Event(string payload, params string[] agencies) =>
        new(DashboardEventNames.IncidentOpened, "inc-1", "11020", agencies, payload, Start);

    private static (string Agencies, string? District, bool AuditorsOnly) Audience(DashboardEvent e) =>
        (string.Join(",", e.Agencies), e.DistrictCode, e.AuditorsOnly);

    private static DashboardNode Node(string id) => new(id, null!, null);
}
