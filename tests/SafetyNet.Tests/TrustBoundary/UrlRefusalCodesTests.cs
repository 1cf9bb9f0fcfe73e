using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Tests.DashboardUi;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>
/// Every rule a camera URL is refused by carries its own code and the values the dashboard words it with, so a district
/// office reads why in Korean rather than the server's English.
/// </summary>
public sealed class UrlRefusalCodesTests
{
    private static readonly StreamUrlOptions Default = new();

    [Theory]
    [InlineData(UrlRefusals.MissingOrTooLong, "")]
    [InlineData(UrlRefusals.BadCharacters, "rtsp://10.0.0.1/a b")]
    [InlineData(UrlRefusals.GeneratedInput, "lavfi:testsrc2")]
    [InlineData(UrlRefusals.NotAbsolute, "camera-7")]
    [InlineData(UrlRefusals.SchemeNotAllowed, "ftp://10.0.0.1/cam")]
    [InlineData(UrlRefusals.NoHost, "rtsp:///cam")]
    [InlineData(UrlRefusals.MetadataService, "rtsp://169.254.169.254/latest/meta-data")]
    [InlineData(UrlRefusals.Loopback, "rtsp://127.0.0.1:8554/cam")]
    [InlineData(UrlRefusals.UnspecifiedAddress, "rtsp://0.0.0.0/cam")]
    [InlineData(UrlRefusals.Broadcast, "rtsp://255.255.255.255/cam")]
    [InlineData(UrlRefusals.LinkLocal, "rtsp://[fe80::1]/cam")]
    [InlineData(UrlRefusals.Multicast, "rtsp://239.1.1.1/cam")]
    [InlineData(UrlRefusals.ReservedAddress, "rtsp://250.1.1.1/cam")]
    public void Each_rule_refuses_with_its_code_and_the_values_its_dashboard_strings_name(string code, string url)
    {
        var refusal = StreamUrls.Refusal(url, Default);
        Assert.NotNull(refusal);
        Assert.Equal(code, refusal.Code);
        foreach (var language in new[] { "ko", "en" })
        {
            var path = Path.Combine(DashboardFixture.RepositoryRoot(), "silo", "dashboard", "src", "i18n", $"{language}.json");
            var text = JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty($"urlRefusal.{code}").GetString()!;
            foreach (Match placeholder in Regex.Matches(text, @"\{(\w+)\}"))
                Assert.True(refusal.Values.ContainsKey(placeholder.Groups[1].Value), $"{language} urlRefusal.{code} names {placeholder.Value}, which the refusal does not carry");
        }
    }

    [Fact]
    public void Every_rule_is_tried_above() =>
        Assert.Equal(
            typeof(UrlRefusals).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(),
            typeof(UrlRefusalCodesTests).GetMethod(nameof(Each_rule_refuses_with_its_code_and_the_values_its_dashboard_strings_name))!
                .GetCustomAttributes<InlineDataAttribute>().Select(data => (string)data.GetData(null!).Single()[0]).Order());

    [Fact]
    public void An_onvif_url_is_refused_by_the_same_rules_naming_itself()
    {
        var refusal = StreamUrls.OnvifRefusal("rtsp://10.0.0.1/onvif/device_service", Default);
        Assert.Equal(UrlRefusals.SchemeNotAllowed, refusal?.Code);
        Assert.Equal("The ONVIF URL's scheme 'rtsp' is not allowed; allowed: http, https.", refusal?.Reason);
        Assert.Equal("http, https", refusal?.Values["schemes"]);
    }
}
