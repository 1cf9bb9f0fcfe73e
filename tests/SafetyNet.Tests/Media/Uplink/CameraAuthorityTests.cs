using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Tests.Media.Uplink;

/// <summary>The host and port a camera's certificate pin is keyed by: the same whether a URL writes its scheme's port out or not.</summary>
public sealed class CameraAuthorityTests
{
    [Theory]
    [InlineData("rtsps://user:pass@Cam-7.Jung.local/live", "cam-7.jung.local:322")]
    [InlineData("rtsps://cam.local:322/live", "cam.local:322")]
    [InlineData("rtsp://10.0.0.5/live", "10.0.0.5:554")]
    [InlineData("https://u:p@10.0.0.5/onvif/device_service", "10.0.0.5:443")]
    [InlineData("https://10.0.0.5:8443/onvif/device_service", "10.0.0.5:8443")]
    [InlineData("http://10.0.0.5/snapshot.jpg", "10.0.0.5:80")]
    [InlineData("rtsps://[fd00::5]:8322/live", "[fd00::5]:8322")]
    public void A_url_is_keyed_by_its_lower_case_host_and_its_port_written_out(string url, string authority) =>
        Assert.Equal(authority, CameraAuthority.Of(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a url")]
    public void What_is_no_absolute_url_has_no_authority(string? url) => Assert.Null(CameraAuthority.Of(url));
}
