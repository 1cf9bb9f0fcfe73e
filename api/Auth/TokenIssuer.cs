using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SafetyNet.Api.Auth;

/// <summary>Mints this node's own JWTs (dev mode) and session-bound tokens.</summary>
public sealed class TokenIssuer(SigningKeys keys, IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public (string Token, DateTimeOffset ExpiresAt) Issue(string operatorId, string agencyId, string role, string? sessionId = null, DateTimeOffset? notAfter = null)
    {
        var now = clock.GetUtcNow();
        var expires = now + options.Value.TokenLifetime;
        if (notAfter is { } cap && cap < expires) expires = cap;
        var claims = new List<Claim>
        {
            new(ClaimNames.Subject, operatorId),
            new(ClaimNames.Agency, agencyId),
            new(ClaimNames.Role, role),
        };
        if (sessionId is not null) claims.Add(new Claim(ClaimNames.Session, sessionId));
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Current, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}
