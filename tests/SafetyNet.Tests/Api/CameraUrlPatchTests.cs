using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>A camera's stream or ONVIF URL changed to one the rules refuse is a 400 naming the rule by code, as an import row's is.</summary>
[Collection(NodeCollection.Name)]
public sealed class CameraUrlPatchTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Theory]
    [InlineData("streamUrl", "ftp://10.20.30.40/cam", UrlRefusals.SchemeNotAllowed, "scheme", "ftp", "streamUrl: The stream URL's scheme 'ftp' is not allowed")]
    [InlineData("onvifUrl", "http://admin:S3cret@127.0.0.1/onvif/device_service", UrlRefusals.Loopback, "field", "onvifUrl", "onvifUrl: The ONVIF URL points at this machine")]
    public async Task A_refused_url_is_400_with_the_rule_as_reason_and_its_values(string field, string url, string rule, string value, string expected, string detail)
    {
        var token = await Node.TokenAsync("safetynet-ops", "url-patcher", "platform-admin");
        var id = $"patch-url-{field}";
        using (var import = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token,
                   new StringContent($"id,lat,lon,purpose,stream_url\n{id},37.5663,126.9779,traffic,rtsp://10.20.30.40/cam\n", Encoding.UTF8, "text/csv")))
            import.EnsureSuccessStatusCode();

        using var response = await Node.SendAsync(HttpMethod.Patch, $"/api/v1/cameras/{id}", token, JsonContent.Create(new Dictionary<string, string> { [field] = url }));
        Assert.StartsWith(detail, await ProblemAssert.IsProblemAsync(response, 400));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(rule, problem.GetProperty("reason").GetString());
        Assert.Equal(expected, problem.GetProperty("values").GetProperty(value).GetString());
        Assert.Equal(field, problem.GetProperty("values").GetProperty("field").GetString());
        Assert.DoesNotContain("S3cret", problem.ToString());
    }
}
