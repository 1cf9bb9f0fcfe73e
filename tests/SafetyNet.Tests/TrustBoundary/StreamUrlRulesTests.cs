using System.Net;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>The stream URL rules on their own: what may be stored and fetched, and what callers are shown.</summary>
public sealed class StreamUrlRulesTests
{
    private static readonly StreamUrlOptions Default = new();

    [Theory]
    [InlineData("rtsp://10.20.30.40:554/stream1")]
    [InlineData("rtsps://camera.jung.example.kr/live")]
    [InlineData("rtsp://admin:S3cret!@10.20.30.40:554/stream1")]
    [InlineData("rtsp://[2001:db8::10]/cam")]
    public void Network_camera_urls_are_accepted(string url) => Assert.Null(StreamUrls.Refusal(url, Default));

    [Theory]
    [InlineData("file:///etc/passwd", "scheme 'file'")]
    [InlineData("/etc/passwd", "scheme 'file'")]
    [InlineData("http://10.0.0.1/x", "scheme 'http'")]
    [InlineData("lavfi:testsrc2", "lavfi")]
    [InlineData("lavfi:movie=/etc/passwd", "lavfi")]
    [InlineData("rtsp://127.0.0.1:8554/cam", "loopback")]
    [InlineData("rtsp://127.1/cam", "loopback")]
    [InlineData("rtsp://2130706433/cam", "loopback")]
    [InlineData("rtsp://localhost/cam", "loopback")]
    [InlineData("rtsp://LOCALHOST./cam", "loopback")]
    [InlineData("rtsp://[::1]/cam", "loopback")]
    [InlineData("rtsp://[::ffff:127.0.0.1]/cam", "loopback")]
    [InlineData("rtsp://169.254.169.254/latest/meta-data", "metadata")]
    [InlineData("rtsp://metadata.google.internal/x", "metadata")]
    [InlineData("rtsp://169.254.10.1/cam", "link-local")]
    [InlineData("rtsp://[fe80::1]/cam", "link-local")]
    [InlineData("rtsp://0.0.0.0/cam", "unspecified")]
    [InlineData("rtsp://[::]/cam", "unspecified")]
    [InlineData("rtsp://239.1.1.1/cam", "multicast")]
    [InlineData("rtsp://[ff02::1]/cam", "multicast")]
    [InlineData("rtsp://255.255.255.255/cam", "broadcast")]
    [InlineData("rtsp://10.0.0.1/a b", "spaces")]
    [InlineData("rtsp://10.0.0.1/\"x", "quotes")]
    [InlineData("", "required")]
    [InlineData("not a url", "spaces")]
    [InlineData("camera-7", "not an absolute URL")]
    public void Urls_that_reach_the_node_itself_or_local_inputs_are_refused_with_the_reason(string url, string reason) =>
        Assert.Contains(reason, StreamUrls.Refusal(url, Default)?.Reason, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void The_refusal_never_repeats_the_url()
    {
        var refusal = StreamUrls.Refusal("rtsp://admin:S3cret!@127.0.0.1/x", Default);
        Assert.NotNull(refusal);
        Assert.DoesNotContain("S3cret", refusal.Reason);
        Assert.DoesNotContain(refusal.Values.Values, value => value.Contains("S3cret"));
    }

    [Fact]
    public void Configuration_opens_only_what_it_names()
    {
        var loopback = new StreamUrlOptions { AllowLoopback = true };
        Assert.Null(StreamUrls.Refusal("rtsp://127.0.0.1:8554/cam", loopback));
        Assert.Contains("link-local", StreamUrls.Refusal("rtsp://169.254.1.1/cam", loopback)?.Reason);
        var linkLocal = new StreamUrlOptions { AllowLinkLocal = true, Schemes = "rtsp, HTTPS" };
        Assert.Null(StreamUrls.Refusal("https://169.254.1.1/cam", linkLocal));
        Assert.Contains("metadata", StreamUrls.AddressRefusal(IPAddress.Parse("169.254.169.254"), linkLocal)?.Reason);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("rtsp,lavfi")]
    [InlineData(" , ")]
    public void A_scheme_list_with_local_inputs_fails_validation_naming_the_key(string schemes)
    {
        var results = new StreamUrlOptions { Schemes = schemes }.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new object())).ToArray();
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.Contains("Media:StreamUrls:Schemes", r.ErrorMessage));
    }

    [Theory]
    [InlineData("rtsp://admin:S3cret!@10.20.30.40:554/stream1", "rtsp://***@10.20.30.40:554/stream1")]
    [InlineData("rtsp://admin@10.20.30.40/stream1", "rtsp://***@10.20.30.40/stream1")]
    [InlineData("rtsp://admin:pa/ss@w0rd@10.0.0.9/live", "rtsp://***@10.0.0.9/live")]
    [InlineData("rtsp://10.0.0.9/live?channel=1&password=S3cret!&subtype=0", "rtsp://10.0.0.9/live?channel=1&password=***&subtype=0")]
    [InlineData("https://cam.example/live.m3u8?token=abc&Api_Key=k1&auth=x&pwd=y&passwd=z", "https://cam.example/live.m3u8?token=***&Api_Key=***&auth=***&pwd=***&passwd=***")]
    [InlineData("rtsp://10.0.0.9/user=admin_password=S3cret_channel=1", "rtsp://10.0.0.9/user=admin_password=***")]
    [InlineData("rtsp://10.0.0.9/live", "rtsp://10.0.0.9/live")]
    [InlineData("lavfi:testsrc2=size=426x240:rate=10", "lavfi:testsrc2=size=426x240:rate=10")]
    public void Redaction_removes_user_info_and_secret_parameters(string url, string shown) => Assert.Equal(shown, StreamUrls.Redact(url));

    [Fact]
    public void An_ffmpeg_error_line_naming_the_url_is_redacted_for_the_log() =>
        Assert.Equal("rtsp://***@10.20.30.40:554/stream1: Connection refused",
            StreamUrls.Redact("rtsp://admin:S3cret!@10.20.30.40:554/stream1: Connection refused"));
}
