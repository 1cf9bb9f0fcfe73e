using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>A node whose tokens come from an OpenID Connect issuer (Auth:Authority), as in production.</summary>
public sealed class ExternalIssuerFixture : IAsyncLifetime
{
    public TestIssuer Issuer { get; private set; } = null!;
    public TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        Node = await TestNode.StartAsync(cameras: 2000, extra: new Dictionary<string, string?>
        {
            ["Auth:DevelopmentTokens"] = "false",
            ["Auth:Authority"] = Issuer.Authority,
            ["Auth:RequireHttpsMetadata"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Node.DeleteData();
        await Issuer.DisposeAsync();
    }
}

[Trait("Category", "Slow")]
public sealed class ExternalIssuerTests(ExternalIssuerFixture fixture) : IClassFixture<ExternalIssuerFixture>
{
    private TestNode Node => fixture.Node;
    private TestIssuer Issuer => fixture.Issuer;

    [Fact]
    public async Task Without_the_development_switch_the_token_endpoint_does_not_exist()
    {
        var token = Issuer.Mint("seoul-112", "kim", "operator");
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/auth/token", token,
            JsonContent.Create(new { agencyId = "safetynet-ops", operatorId = "mallory", role = "platform-admin" }));
        Assert.Contains("Nothing is served at POST /api/v1/auth/token", await ProblemAssert.IsProblemAsync(response, 404));
        using var anonymous = await Node.Http.PostAsJsonAsync("/api/v1/auth/token", new { agencyId = "safetynet-ops", operatorId = "mallory", role = "platform-admin" });
        await ProblemAssert.IsProblemAsync(anonymous, 401);
    }

    [Fact]
    public async Task An_issued_token_works_and_the_session_token_the_node_signs_itself_works_too()
    {
        var issued = Issuer.Mint("seoul-112", "officer-lee", "operator");
        using (var districts = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", issued))
            Assert.Equal(200, (int)districts.StatusCode);

        using var started = await Node.SendAsync(HttpMethod.Post, "/api/v1/sessions", issued);
        Assert.Equal(201, (int)started.StatusCode);
        var session = await started.Content.ReadFromJsonAsync<JsonElement>();
        var sessionToken = session.GetProperty("accessToken").GetString();
        using var heartbeat = await Node.SendAsync(HttpMethod.Post, $"/api/v1/sessions/{session.GetProperty("sessionId").GetString()}/heartbeat", sessionToken);
        Assert.Equal(200, (int)heartbeat.StatusCode);
    }

    [Fact]
    public async Task The_platform_operations_agency_exists_without_the_demo_so_its_admin_can_register_agencies()
    {
        var admin = Issuer.Mint("safetynet-ops", "ops-lead", "platform-admin");
        using var put = await Node.SendAsync(HttpMethod.Put, "/api/v1/agencies/issuer-test-unit", admin,
            JsonContent.Create(new { name = "Issuer Test Unit", kind = "police-patrol", cityWide = false, districts = new[] { "11020" } }));
        Assert.Equal(200, (int)put.StatusCode);
    }

    [Theory]
    [InlineData("police-atlantis", "operator", "not registered")]
    [InlineData("seoul-112", "platform-admin", "may hold only")]
    public async Task The_issuer_cannot_vouch_for_an_unregistered_agency_or_a_role_its_kind_cannot_hold(string agency, string role, string reason)
    {
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", Issuer.Mint(agency, "someone", role));
        Assert.Contains(reason, await ProblemAssert.IsProblemAsync(response, 401));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_under_the_issuers_name_is_401()
    {
        var forged = Issuer.Mint("seoul-112", "mallory", "operator", new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-issuer-1" });
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", forged);
        Assert.Contains("signature", await ProblemAssert.IsProblemAsync(response, 401));
    }
}
