using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Api.Auth;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

[Collection(NodeCollection.Name)]
public sealed class BadTokenTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Missing_token_gets_401_problem()
    {
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", null);
        Assert.Contains("required", await ProblemAssert.IsProblemAsync(response, 401));
    }

    [Fact]
    public async Task Forged_token_gets_401_problem()
    {
        var forged = Mint(new string('x', 48), DateTime.UtcNow.AddHours(1));
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", forged);
        Assert.Contains("signature", await ProblemAssert.IsProblemAsync(response, 401));
    }

    [Fact]
    public async Task Expired_token_signed_with_the_real_key_gets_401_problem()
    {
        var key = await File.ReadAllTextAsync(Path.Combine(Node.DataDirectory, "signing.key"));
        var expired = Mint(key.Trim(), DateTime.UtcNow.AddMinutes(-5));
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", expired);
        Assert.Contains("expired", await ProblemAssert.IsProblemAsync(response, 401));
    }

    [Fact]
    public async Task Garbage_token_gets_401_problem()
    {
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", "not-a-jwt");
        await ProblemAssert.IsProblemAsync(response, 401);
    }

    [Fact]
    public async Task A_genuine_token_is_accepted()
    {
        var key = await File.ReadAllTextAsync(Path.Combine(Node.DataDirectory, "signing.key"));
        using var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", Mint(key.Trim(), DateTime.UtcNow.AddMinutes(5)));
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_token_validated_once_is_remembered_and_its_forgeries_are_still_checked_in_full()
    {
        var key = await File.ReadAllTextAsync(Path.Combine(Node.DataDirectory, "signing.key"));
        var genuine = Mint(key.Trim(), DateTime.UtcNow.AddMinutes(5));
        using (var first = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", genuine))
            Assert.Equal(200, (int)first.StatusCode);
        Assert.NotNull(Node.App.Services.GetRequiredService<ValidatedTokens>().Find(genuine));

        var parts = genuine.Split('.');
        var otherSignature = $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}";
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"mallory\"", "\"root\"");
        var otherPayload = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
        foreach (var forged in new[] { otherSignature, otherPayload })
        {
            using var refused = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", forged);
            Assert.Contains("signature", await ProblemAssert.IsProblemAsync(refused, 401));
        }
        using var again = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", genuine);
        Assert.Equal(200, (int)again.StatusCode);
    }

    /// <summary>A token as an issuer holding <paramref name="key"/> would sign it.</summary>
    public static string Mint(string key, DateTime expires, string agency = "safetynet-ops", string role = "platform-admin") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "safetynet",
        Audience = "safetynet-api",
        Subject = new ClaimsIdentity([new Claim("sub", "mallory"), new Claim("agency", agency), new Claim("role", role)]),
        IssuedAt = expires.AddMinutes(-10),
        NotBefore = expires.AddMinutes(-10),
        Expires = expires,
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
    });
}
