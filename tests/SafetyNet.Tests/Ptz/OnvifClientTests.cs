using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Ptz;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Ptz;

/// <summary>The node's ONVIF client against the test device over real HTTP with a real WS-Security digest.</summary>
public sealed class OnvifClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private OnvifTestDevice _device = null!;
    private readonly OnvifHttp _http = new(Options.Create(new StreamUrlOptions { AllowLoopback = true }));

    public async Task InitializeAsync() => _device = await OnvifTestDevice.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _device.DisposeAsync();
    }

    private OnvifPtzClient Client(string url, OnvifHttp? http = null) => new((http ?? _http).Client, OnvifDeviceAddress.Parse(url), TimeProvider.System, Timeout);

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
        using var strict = new OnvifHttp(Options.Create(new StreamUrlOptions()));
        var refused = await Assert.ThrowsAsync<OnvifException>(() => Client(_device.Url, strict).StopAsync());
        Assert.Contains("loopback", refused.Message);
        Assert.DoesNotContain(OnvifTestDevice.Password, refused.Message);
    }

    [Fact]
    public async Task A_device_that_does_not_answer_in_time_is_reported_as_such()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var client = new OnvifPtzClient(_http.Client, OnvifDeviceAddress.Parse($"http://u:p@127.0.0.1:{port}/onvif/device_service"), TimeProvider.System,
            TimeSpan.FromMilliseconds(500));
        var timedOut = await Assert.ThrowsAsync<OnvifException>(() => client.StopAsync());
        Assert.Contains("did not answer within", timedOut.Message);
    }

    private static (double, double) Pan(SafetyNet.Contracts.Ptz.PtzPosition p) => (Math.Round(p.Pan, 3), Math.Round(p.Tilt, 3));
}
