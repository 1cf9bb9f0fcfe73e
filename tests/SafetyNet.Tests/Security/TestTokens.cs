using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SafetyNet.Tests.Security;

/// <summary>Tokens an attacker could present: minted with a key (the node's own, to prove claim checks; another, to prove the signature check).</summary>
public static class TestTokens
{
    public static string Mint(string key, string agency, string role, string subject = "mallory", DateTime? expires = null, string? session = null)
    {
        var until = expires ?? DateTime.UtcNow.AddMinutes(10);
        var claims = new List<Claim> { new("sub", subject), new("agency", agency), new("role", role) };
        if (session is not null) claims.Add(new Claim("sid", session));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "safetynet",
            Audience = "safetynet-api",
            Subject = new ClaimsIdentity(claims),
            IssuedAt = until.AddMinutes(-20),
            NotBefore = until.AddMinutes(-20),
            Expires = until,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>An unsigned token ("alg": "none") claiming to be a platform admin.</summary>
    public static string Unsigned(string agency, string role)
    {
        static string B64(string s) => Base64UrlEncoder.Encode(s);
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        return $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64($"{{\"sub\":\"mallory\",\"agency\":\"{agency}\",\"role\":\"{role}\",\"iss\":\"safetynet\",\"aud\":\"safetynet-api\",\"exp\":{exp}}}")}.";
    }
}
