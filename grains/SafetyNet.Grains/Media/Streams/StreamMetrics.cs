using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using SafetyNet.Contracts;
using SafetyNet.Grains.Observability;

using SafetyNet.Grains.Media.Uplink;

namespace SafetyNet.Grains.Media.Streams;

/// <summary>
/// Gauge <c>safetynet.media.streams</c>: this node's camera streams per state (tag <c>state</c>), where an on-call engineer
/// sees streams stuck starting or in backoff; and <c>safetynet.media.streams.encoding</c>, those that encode because their
/// camera's codec plays in no browser, each at about ten copies' CPU; <c>safetynet.media.encodes.refused</c>, new encodes
/// refused while the node's CPUs were busy; <c>safetynet.media.encodes.yielded</c>, running encodes stopped to make room for a
/// more urgent one; and <c>safetynet.node.cpu.busy</c>, the load that limit reads. A hosted service
/// only so that the host creates them at start.
/// </summary>
public sealed class StreamMetrics : IHostedService
{
    public StreamMetrics(IMeterFactory meters, RelayHost relays, ICpuLoad cpu, CameraUplinks uplinks)
    {
        var meter = meters.Create(SafetyNetMetrics.MeterName);
        meter.CreateObservableGauge("safetynet.media.streams", () => Observe(relays), "{stream}",
            "Camera streams on this node, by state (idle, starting, ready, lingering, backoff, stopping).");
        meter.CreateObservableGauge("safetynet.media.streams.encoding", () => relays.EncodingStreams, "{stream}",
            "Camera streams on this node encoded to H.264 because the camera's codec (H.265, say) plays in no browser.");
        meter.CreateObservableCounter("safetynet.media.encodes.refused", () => relays.EncodesRefused, "{stream}",
            "Relays that had to encode (privacy mask, unplayable codec) not started because this node's CPUs were above Media:NewEncodeCpuLimit.");
        meter.CreateObservableCounter("safetynet.media.encodes.yielded", () => relays.EncodesYielded, "{stream}",
            "Running encodes stopped on a busy node to start a more urgent one: one nobody watched, or one watched only by standing-access viewers of lower priority.");
        meter.CreateObservableCounter("safetynet.media.uplink.cuts", () => uplinks.Cuts.Select(c => new Measurement<long>(c.Count, new KeyValuePair<string, object?>("kind", c.Kind))),
            "{connection}", "Camera connections this node cut or never made, by kind: redirect (the camera pointed elsewhere), protocol, unreachable, tls, certificate (not the certificate pinned on first use), policy (the stream policy refused the URL or an address).");
        meter.CreateObservableCounter("safetynet.media.rechecks", () => new Measurement<long>[]
            {
                new(relays.RechecksNotConnected, new KeyValuePair<string, object?>("outcome", "not-connected")),
                new(relays.RecheckSnapshots, new KeyValuePair<string, object?>("outcome", "snapshot")),
            }, "{recheck}", "Offline cameras tried again with nobody watching: not-connected (the camera took no connection, no ffmpeg started), snapshot (an ffmpeg asked it for a picture).");
        meter.CreateObservableGauge("safetynet.media.rechecks.waiting", () => relays.RechecksWaiting, "{recheck}",
            "Offline cameras' rechecks that took a connection and wait for one of the Media:OfflineRecheckConcurrency snapshot slots; a queue that stays long means cameras that answer but send nothing.");
        meter.CreateObservableGauge("safetynet.node.cpu.busy", () => cpu.RecentShare is { } busy ? [new Measurement<double>(busy)] : Array.Empty<Measurement<double>>(),
            null, "This node's CPUs busy over the last 3 s, ffmpeg relays included, as Media:NewEncodeCpuLimit reads them (0 to 1).");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IEnumerable<Measurement<int>> Observe(RelayHost relays)
    {
        var streams = relays.Streams;
        return Enum.GetValues<StreamState>().Select(state =>
            new Measurement<int>(streams.Count(s => s.State == state), new KeyValuePair<string, object?>("state", EnumNames<StreamState>.NameOf(state))));
    }
}
