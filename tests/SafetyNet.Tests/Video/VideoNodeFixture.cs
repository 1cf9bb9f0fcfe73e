using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Video;

/// <summary>A node with a real RTSP test camera, short linger, and small caps so capacity rules can be hit.</summary>
public class VideoNodeFixture : IAsyncLifetime
{
    public static readonly string[] Paths = ["a", "b", "c", "d", "e", "f", "live1", "live2", "live3"];

    public RtspTestCamera Camera { get; private set; } = null!;

    public TestNode Node { get; private set; } = null!;

    /// <summary>The node's CPU load as the encode limit sees it: unknown (no limit) unless a test sets it.</summary>
    public SettableCpuLoad CpuLoad { get; } = new();

    public string NodeTag => Node.App.Services.GetRequiredService<IOptions<MediaOptions>>().Value.NodeTag;

    public IReadOnlyList<int> RelayProcesses(string cameraId) => TaggedProcesses.Find(TaggedProcesses.RelayTag(NodeTag, cameraId));

    /// <summary>
    /// Waits out the streams an earlier test of the collection left running with nobody holding them (lingering for
    /// Media:LingerPeriod): a new encode on a busy node would take such a stream's place.
    /// </summary>
    public Task NothingLingeringAsync() => Eventually.WaitAsync(
        () => Task.FromResult(Node.App.Services.GetRequiredService<RelayHost>().Streams
            .Count(s => s.Consumers == 0 && s.State is StreamState.Starting or StreamState.Ready or StreamState.Lingering)),
        n => n == 0, TimeSpan.FromSeconds(30), "the node's lingering streams to stop");

    public async Task InitializeAsync()
    {
        Camera = await RtspTestCamera.StartAsync(Paths);
        Node = await TestNode.StartAsync(5_000, extra: Settings(), decorate: services => services.AddSingleton<ICpuLoad>(CpuLoad));
    }

    /// <summary>The node's settings; a fixture for another concern changes a few.</summary>
    protected virtual Dictionary<string, string?> Settings() => new()
    {
        ["Media:LingerPeriod"] = "00:00:02",
        ["Leases:ViewerCapPerCamera"] = "2",
        ["Leases:UpstreamCapPerDistrict"] = "2",
        ["Leases:UpstreamClaimLifetime"] = "00:00:03",
        ["Leases:PrewarmCount"] = "0",
        // A closed incident's grants end at once, so a test sees the end of a grant stop the live stream.
        ["Incidents:ClosingGrace"] = "00:00:00",
        // The RTSP test camera listens on loopback, which the stream URL policy refuses by default.
        ["Media:StreamUrls:AllowLoopback"] = "true",
        ["Media:NewEncodeCpuLimit"] = "0.85",
        // A camera its relay took offline is tried again within the test, not after the default 30 s.
        ["Media:OfflineRecheck"] = "00:00:02",
    };

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Node.DeleteData();
        await Camera.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class VideoNodeCollection : ICollectionFixture<VideoNodeFixture>
{
    public const string Name = "video-node";
}
