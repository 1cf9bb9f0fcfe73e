using SafetyNet.Grains.Ptz;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Ptz;

/// <summary>
/// A node whose 112-dispatch incidents grant PTZ, with a 5 s PTZ lock timeout, an RTSP test camera and an ONVIF PTZ test
/// device, both on loopback (which the URL policy then allows). <see cref="Probe"/> reads the device's position as the
/// node's own ONVIF client does.
/// </summary>
public sealed class PtzNodeFixture : IAsyncLifetime
{
    public RtspTestCamera Camera { get; private set; } = null!;

    public OnvifTestDevice Device { get; private set; } = null!;

    public TestNode Node { get; private set; } = null!;

    public OnvifPtzClient Probe => Device.Probe;

    public async Task InitializeAsync()
    {
        Camera = await RtspTestCamera.StartAsync(["ptz"]);
        Device = await OnvifTestDevice.StartAsync();
        Node = await TestNode.StartAsync(2_000, extra: new Dictionary<string, string?>
        {
            ["Media:StreamUrls:AllowLoopback"] = "true",
            ["Leases:PrewarmCount"] = "0",
            ["Incidents:Types:112-dispatch:GrantsPtz"] = "true",
            ["Ptz:LockTimeout"] = "00:00:05",
        });
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Node.DeleteData();
        await Device.DisposeAsync();
        await Camera.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PtzNodeCollection : ICollectionFixture<PtzNodeFixture>
{
    public const string Name = "ptz-node";
}
