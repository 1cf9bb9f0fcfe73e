namespace SafetyNet.Tests.Media;

/// <summary>The media tests run one at a time: each runs real ffmpeg processes, and some count them.</summary>
[CollectionDefinition(Name)]
public sealed class MediaCollection : ICollectionFixture<TestCameraFixture>
{
    public const string Name = "media";
}

/// <summary>One RTSP test camera shared by the media tests, one path per test so relays never share a stream by accident.</summary>
public sealed class TestCameraFixture : IAsyncLifetime
{
    public static readonly string[] Paths = ["play", "single", "stop", "snapshot", "resolve", "shutdown"];

    public RtspTestCamera Camera { get; private set; } = null!;

    public async Task InitializeAsync() => Camera = await RtspTestCamera.StartAsync(Paths);

    public async Task DisposeAsync() => await Camera.DisposeAsync();
}
