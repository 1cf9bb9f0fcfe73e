using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Uplink;
using SafetyNet.Grains.Ptz;
using SafetyNet.Tests.Media;
using SafetyNet.Tests.Media.Uplink;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Ptz;

/// <summary>The node's ONVIF client against the test device over real HTTP with a real WS-Security digest.</summary>
public sealed class OnvifClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly StreamUrlOptions Loopback = new() { AllowLoopback = true };
    private OnvifTestDevice _device = null!;
    private readonly HeldCertificatePins _pins = new();
    private readonly List<HttpClient> _clients = [];

    public async Task InitializeAsync() => _device = await OnvifTestDevice.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await _device.DisposeAsync();
    }

    /// <summary>The node's camera connections under <paramref name="policy"/> (loopback allowed, certificates pinned on first use, by default).</summary>
    private CameraUplinks Uplinks(StreamUrlOptions? policy = null) =>
        new(Options.Create(policy ?? Loopback), Options.Create(new MediaOptions()), _pins, NullLogger<CameraUplinks>.Instance);

    private OnvifHttp Http(StreamUrlOptions? policy = null) => Http(Uplinks(policy), policy);

    private static OnvifHttp Http(CameraUplinks uplinks, StreamUrlOptions? policy = null) => new(Options.Create(policy ?? Loopback), uplinks);

    private static long Cuts(CameraUplinks uplinks, string kind) => uplinks.Cuts.Single(c => c.Kind == kind).Count;

    private OnvifPtzClient Client(string url, OnvifHttp? http = null, string camera = "cam-onvif", TimeSpan? timeout = null)
    {
        var device = OnvifDeviceAddress.Parse(url);
        var client = (http ?? Http()).CreateClient(camera, device.Endpoint);
        _clients.Add(client);
        return new OnvifPtzClient(client, device, TimeProvider.System, timeout ?? Timeout);
    }

    [Fact]
    public async Task A_continuous_move_turns_the_device_until_stop_and_presets_and_home_put_it_back()
    {
        var client = Client(_device.Url);
        var presets = await client.GetPresetsAsync();
        Assert.Contains(presets, p => p.Token == "home");
        Assert.Contains(presets, p => p.Token == "gate");
        Assert.Equal((0.0, 0.0), Pan(await client.GetStatusAsync()));

        await client.ContinuousMoveAsync(1, -1, 0, TimeSpan.FromSeconds(10));
        var moving = await Eventually.WaitAsync(() => client.GetStatusAsync(), s => s.Pan > 0.1 && s.Tilt < -0.1, TimeSpan.FromSeconds(5), "the device to turn");
        Assert.True(moving.Moving);
        await client.StopAsync();
        var stopped = await client.GetStatusAsync();
        Assert.False(stopped.Moving);
        Assert.Equal(stopped.Pan, (await client.GetStatusAsync()).Pan);

        await client.GotoPresetAsync("gate");
        Assert.Equal((0.5, -0.5), Pan(await client.GetStatusAsync()));
        await client.GotoHomeAsync();
        Assert.Equal((0.0, 0.0), Pan(await client.GetStatusAsync()));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_by_the_device_and_the_error_names_no_credential()
    {
        var client = Client(_device.UrlWith(OnvifTestDevice.User, "wrong-password"));
        var refused = await Assert.ThrowsAsync<OnvifException>(() => client.StopAsync());
        Assert.True(refused.NotAuthorized, refused.Message);
        Assert.Contains("refused the node's ONVIF credentials", refused.Message);
        Assert.DoesNotContain("wrong-password", refused.Message);
        Assert.DoesNotContain(OnvifTestDevice.User, refused.Message);
        Assert.DoesNotContain("wrong-password", client.Device.ToString());
    }

    [Fact]
    public async Task An_unknown_preset_is_a_fault_the_caller_can_tell_apart()
    {
        var unknown = await Assert.ThrowsAsync<OnvifException>(() => Client(_device.Url).GotoPresetAsync("nowhere"));
        Assert.True(unknown.NoSuchToken, unknown.Message);
    }

    [Fact]
    public async Task Loopback_is_refused_at_connect_time_when_the_policy_refuses_it()
    {
        var strict = Uplinks(new StreamUrlOptions());
        var refused = await Assert.ThrowsAsync<OnvifException>(() => Client(_device.Url, Http(strict, new StreamUrlOptions())).StopAsync());
        Assert.Equal(1, Cuts(strict, "policy"));
        Assert.Contains("loopback", refused.Message);
        Assert.DoesNotContain(OnvifTestDevice.Password, refused.Message);
    }

    [Fact]
    public async Task A_device_that_does_not_answer_in_time_is_reported_as_such()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var client = Client($"http://u:p@127.0.0.1:{port}/onvif/device_service", timeout: TimeSpan.FromMilliseconds(500));
        var timedOut = await Assert.ThrowsAsync<OnvifException>(() => client.StopAsync());
        Assert.Contains("did not answer within", timedOut.Message);
    }

    [Fact]
    public async Task Over_https_a_device_is_held_to_the_certificate_it_first_presented_and_one_answering_with_another_gets_no_request()
    {
        await using var front = new TlsCameraFront(_device.ServiceUrl.Port);
        var url = $"https://{Uri.EscapeDataString(OnvifTestDevice.User)}:{Uri.EscapeDataString(OnvifTestDevice.Password)}@localhost:{front.Port}/onvif/device_service";
        var first = front.Fingerprint;
        var uplinks = Uplinks();
        await Client(url, Http(uplinks)).GotoPresetAsync("gate");
        Assert.Equal((0.5, -0.5), Pan(await _device.Probe.GetStatusAsync()));
        Assert.Equal(first, _pins.PinOf("cam-onvif"));
        Assert.Equal(["localhost"], front.ServerNames.Distinct());

        // Someone on the path answers with their own certificate for the same name: no request reaches it, so no credential.
        front.ReplaceCertificate();
        var refused = await Assert.ThrowsAsync<OnvifException>(() => Client(url, Http(uplinks)).GotoHomeAsync());
        Assert.Equal(1, Cuts(uplinks, "certificate"));
        Assert.Contains(first, refused.Message);
        Assert.Contains(front.Fingerprint, refused.Message);
        Assert.DoesNotContain(OnvifTestDevice.Password, refused.Message);
        Assert.Equal((0.5, -0.5), Pan(await _device.Probe.GetStatusAsync()));
        Assert.Contains(("cam-onvif", front.Fingerprint), _pins.Refused);

        // Once its district has forgotten the pin (the camera was re-keyed), the next connection pins the new certificate.
        _pins.Forget("cam-onvif");
        await Client(url).GotoHomeAsync();
        Assert.Equal((0.0, 0.0), Pan(await _device.Probe.GetStatusAsync()));
        Assert.Equal(front.Fingerprint, _pins.PinOf("cam-onvif"));
    }

    [Fact]
    public async Task Over_https_a_node_trusting_its_districts_own_ca_refuses_a_device_signed_by_another()
    {
        await using var front = new TlsCameraFront(_device.ServiceUrl.Port);
        var url = $"https://{Uri.EscapeDataString(OnvifTestDevice.User)}:{Uri.EscapeDataString(OnvifTestDevice.Password)}@localhost:{front.Port}/onvif/device_service";
        var roots = Path.Combine(Path.GetTempPath(), $"onvif-roots-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(roots, front.RootPem);
        try
        {
            var trustingTheCa = new StreamUrlOptions { AllowLoopback = true, CameraCertificates = roots };
            var uplinks = Uplinks(trustingTheCa);
            var districtCa = Http(uplinks, trustingTheCa);
            await Client(url, districtCa).GotoPresetAsync("gate");
            Assert.Equal((0.5, -0.5), Pan(await _device.Probe.GetStatusAsync()));

            front.ReplaceCertificate();
            var refused = await Assert.ThrowsAsync<OnvifException>(() => Client(url, districtCa).GotoHomeAsync());
            Assert.Contains("TLS with the camera's ONVIF device failed", refused.Message);
            Assert.Equal(1, Cuts(uplinks, "tls"));
            Assert.Equal((0.5, -0.5), Pan(await _device.Probe.GetStatusAsync()));
            Assert.Null(_pins.PinOf("cam-onvif"));
        }
        finally
        {
            File.Delete(roots);
        }
    }

    private static (double, double) Pan(SafetyNet.Contracts.Ptz.PtzPosition p) => (Math.Round(p.Pan, 3), Math.Round(p.Tilt, 3));
}
