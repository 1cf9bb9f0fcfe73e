using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Rewind;

/// <summary>A node with the RTSP test camera and a 20-second rewind window (the live window stays 6 × 1 s), so a test sees the window outgrow the live part quickly.</summary>
public sealed class RewindNodeFixture : IAsyncLifetime
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    public RtspTestCamera Camera { get; private set; } = null!;

    public TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Camera = await RtspTestCamera.StartAsync(["rewind", "dashboard"]);
        Node = await TestNode.StartAsync(5_000, extra: new Dictionary<string, string?>
        {
            ["Media:RewindWindow"] = Window.ToString(),
            ["Media:LingerPeriod"] = "00:00:02",
            ["Leases:PrewarmCount"] = "0",
            // The RTSP test camera listens on loopback, which the stream URL policy refuses by default.
            ["Media:StreamUrls:AllowLoopback"] = "true",
        });
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Node.DeleteData();
        await Camera.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class RewindNodeCollection : ICollectionFixture<RewindNodeFixture>
{
    public const string Name = "rewind-node";
}
