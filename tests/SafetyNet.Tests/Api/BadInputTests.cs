using System.Net.Http.Json;
using System.Text;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>Bad input gets a 4xx ProblemDetails with a reason, never a 500.</summary>
[Collection(NodeCollection.Name)]
public sealed class BadInputTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Malformed_json_is_400_with_the_parse_error()
    {
        var token = await Node.TokenAsync("safetynet-ops", "bad-input", "platform-admin");
        using var response = await Node.SendAsync(HttpMethod.Put, "/api/v1/agencies/x-unit", token,
            new StringContent("{\"name\": \"x\", \"kind\": ", Encoding.UTF8, "application/json"));
        Assert.Contains("JSON", await ProblemAssert.IsProblemAsync(response, 400));
    }

    [Fact]
    public async Task Malformed_token_request_is_400()
    {
        using var response = await Node.Http.PostAsync("/api/v1/auth/token", new StringContent("{oops", Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblemAsync(response, 400);
    }

    [Fact]
    public async Task Unknown_enum_value_is_400()
    {
        var token = await Node.TokenAsync("safetynet-ops", "bad-input", "platform-admin");
        using var response = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11010/sharing-policy", token,
            JsonContent.Create(new Dictionary<string, object> { ["police-112-center"] = new { crime_prevention = "sometimes" } }));
        Assert.Contains("Unknown camera purpose", await ProblemAssert.IsProblemAsync(response, 400));
    }

    [Fact]
    public async Task Body_over_the_limit_is_413()
    {
        var token = await Node.TokenAsync("safetynet-ops", "bad-input", "platform-admin");
        var huge = "{\"name\":\"" + new string('a', 2 * 1024 * 1024) + "\",\"kind\":\"police-patrol\",\"cityWide\":true}";
        // Expect: 100-continue lets the server refuse on Content-Length alone, before the client streams 2 MiB into a closed socket.
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/agencies/big-unit") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.ExpectContinue = true;
        using var response = await Node.Http.SendAsync(request);
        Assert.Contains("larger than the limit of", await ProblemAssert.IsProblemAsync(response, 413));
    }

    [Theory]
    [InlineData("lat=NaN&lon=126.97", "finite")]
    [InlineData("lat=37.5&lon=Infinity", "finite")]
    [InlineData("lat=35.1&lon=129.0", "outside Seoul")]
    [InlineData("lat=91&lon=126.97", "lat must be")]
    [InlineData("lat=37.5663&lon=126.9779&radius=-5", "radius")]
    [InlineData("lat=37.5663&lon=126.9779&limit=0", "limit")]
    [InlineData("lat=37.5663&lon=126.9779&purpose=spying", "purpose")]
    [InlineData("lon=126.9779", "required")]
    public async Task Bad_nearby_queries_are_400(string query, string expected)
    {
        var token = await Node.TokenAsync("seoul-112", "bad-input", "operator");
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/nearby?{query}", token);
        Assert.Contains(expected, await ProblemAssert.IsProblemAsync(response, 400));
    }

    [Fact]
    public async Task Non_numeric_coordinate_is_400()
    {
        var token = await Node.TokenAsync("seoul-112", "bad-input", "operator");
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/nearby?lat=north&lon=126.97", token);
        await ProblemAssert.IsProblemAsync(response, 400);
    }

    [Theory]
    [InlineData("/api/v1/cameras/no-such-camera")]
    [InlineData("/api/v1/cameras/no-such-camera/access")]
    [InlineData("/api/v1/districts/99999")]
    [InlineData("/api/v1/agencies/no-such-agency")]
    public async Task Unknown_ids_are_404(string path)
    {
        var token = await Node.TokenAsync("seoul-112", "bad-input", "operator");
        using var response = await Node.SendAsync(HttpMethod.Get, path, token);
        Assert.NotEmpty(await ProblemAssert.IsProblemAsync(response, 404));
    }

    [Fact]
    public async Task An_unknown_endpoint_is_404_pointing_at_the_api_description()
    {
        var token = await Node.TokenAsync("seoul-112", "bad-input", "operator");
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/no-such-endpoint", token);
        Assert.Contains("/openapi/v1.json", await ProblemAssert.IsProblemAsync(response, 404));
    }

    [Fact]
    public async Task Token_for_an_unknown_agency_or_role_is_400()
    {
        using var agency = await Node.Http.PostAsJsonAsync("/api/v1/auth/token", new { agencyId = "nowhere", operatorId = "a", role = "operator" });
        Assert.Contains("not registered", await ProblemAssert.IsProblemAsync(agency, 400));
        using var role = await Node.Http.PostAsJsonAsync("/api/v1/auth/token", new { agencyId = "seoul-112", operatorId = "a", role = "king" });
        Assert.Contains("Unknown role", await ProblemAssert.IsProblemAsync(role, 400));
    }

    [Fact]
    public async Task Heartbeat_of_someone_elses_session_is_403()
    {
        var (sessionId, _) = await Node.SessionAsync("seoul-112", "owner");
        var (_, otherToken) = await Node.SessionAsync("seoul-112", "intruder");
        using var response = await Node.SendAsync(HttpMethod.Post, $"/api/v1/sessions/{sessionId}/heartbeat", otherToken);
        await ProblemAssert.IsProblemAsync(response, 403);
    }
}
