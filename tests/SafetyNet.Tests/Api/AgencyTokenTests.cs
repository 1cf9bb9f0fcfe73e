using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>
/// Tokens are accepted only for registered agencies and for roles the agency's kind may hold, however well signed; the
/// development endpoint refuses the same; the platform-operations and audit-office agencies hold their roles and view nothing.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class AgencyTokenTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    private async Task<string> SigningKeyAsync() => (await File.ReadAllTextAsync(Path.Combine(Node.DataDirectory, "signing.key"))).Trim();

    [Fact]
    public async Task A_correctly_signed_token_for_an_unregistered_agency_gets_401_saying_so()
    {
        var token = BadTokenTests.Mint(await SigningKeyAsync(), DateTime.UtcNow.AddMinutes(5), agency: "police-atlantis", role: "operator");
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", token);
        Assert.Contains("'police-atlantis' is not registered", await ProblemAssert.IsProblemAsync(response, 401));
    }

    [Theory]
    [InlineData("seoul-112", "platform-admin")]
    [InlineData("seoul-112", "auditor")]
    [InlineData("police-jung", "dispatch-system")]
    [InlineData("control-jung", "platform-admin")]
    [InlineData("seoul-audit", "operator")]
    [InlineData("safetynet-ops", "district-admin")]
    public async Task A_correctly_signed_token_for_a_role_the_agency_kind_cannot_hold_gets_401_saying_why(string agency, string role)
    {
        var token = BadTokenTests.Mint(await SigningKeyAsync(), DateTime.UtcNow.AddMinutes(5), agency, role);
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", token);
        var detail = await ProblemAssert.IsProblemAsync(response, 401);
        Assert.Contains($"not '{role}'", detail);
        Assert.Contains("may hold only", detail);
    }

    [Theory]
    [InlineData("police-atlantis", "operator", "not registered")]
    [InlineData("seoul-112", "platform-admin", "may hold only")]
    [InlineData("control-jung", "dispatch-system", "may hold only")]
    [InlineData("seoul-audit", "supervisor", "may hold only")]
    public async Task The_development_endpoint_refuses_the_same_with_400(string agencyId, string role, string reason)
    {
        using var response = await Node.Http.PostAsJsonAsync("/api/v1/auth/token", new { agencyId, operatorId = "mallory", role });
        Assert.Contains(reason, await ProblemAssert.IsProblemAsync(response, 400));
    }

    [Fact]
    public async Task The_platform_and_audit_agencies_hold_their_roles()
    {
        var auditor = await Node.TokenAsync("seoul-audit", "city-auditor", "auditor");
        using (var verify = await Node.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", auditor))
            Assert.Equal(200, (int)verify.StatusCode);
        var admin = await Node.TokenAsync("safetynet-ops", "ops", "platform-admin");
        using var agencies = await Node.SendAsync(HttpMethod.Get, "/api/v1/agencies", admin);
        var listed = (await agencies.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .ToDictionary(a => a.GetProperty("id").GetString()!, a => a.GetProperty("kind").GetString());
        Assert.Equal("platform-operations", listed["safetynet-ops"]);
        Assert.Equal("audit-office", listed["seoul-audit"]);
    }

    [Fact]
    public async Task A_token_stops_working_on_this_node_as_soon_as_its_agency_changes_kind()
    {
        var admin = await Node.TokenAsync("safetynet-ops", "ops", "platform-admin");
        async Task Register(string kind)
        {
            using var put = await Node.SendAsync(HttpMethod.Put, "/api/v1/agencies/kind-change-unit", admin,
                JsonContent.Create(new { name = "Kind Change Unit", kind, cityWide = false, districts = new[] { "11020" } }));
            Assert.Equal(200, (int)put.StatusCode);
        }
        await Register("police-patrol");
        var officer = await Node.TokenAsync("kind-change-unit", "officer", "operator");
        using (var before = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", officer))
            Assert.Equal(200, (int)before.StatusCode);

        await Register("audit-office");
        using var after = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", officer);
        Assert.Contains("kind 'audit-office'", await ProblemAssert.IsProblemAsync(after, 401));
    }

    [Fact]
    public async Task A_sharing_policy_has_no_row_for_the_kinds_that_never_view_video_and_cannot_give_them_one()
    {
        var admin = await Node.TokenAsync("control-jung", "admin-jung", "district-admin");
        using var district = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts/11020", admin);
        var policy = (await district.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sharingPolicy");
        Assert.True(policy.TryGetProperty("police-112-center", out _));
        Assert.False(policy.TryGetProperty("audit-office", out _));
        Assert.False(policy.TryGetProperty("platform-operations", out _));

        using var refused = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11020/sharing-policy", admin,
            JsonContent.Create(new Dictionary<string, object> { ["audit-office"] = new Dictionary<string, string> { ["traffic"] = "standing" } }));
        Assert.Contains("never view video", await ProblemAssert.IsProblemAsync(refused, 400));
    }
}
