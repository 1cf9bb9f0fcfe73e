using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Api.Auth;

/// <summary>
/// Section "Auth". Tokens come from an external OpenID Connect issuer (<see cref="Authority"/>), or, on a development
/// node that opts in with <see cref="DevelopmentTokens"/>, from this node's own endpoint. A node with neither does not
/// start. Either way the node signs its session-bound tokens with <see cref="SigningKey"/>.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    [Required] public string Issuer { get; set; } = "safetynet";

    [Required] public string Audience { get; set; } = "safetynet-api";

    /// <summary>HMAC-SHA256 key, at least 32 bytes of text. When empty, a key is generated into the data directory.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Keys that tokens may still be signed with during a key rotation; validated, never used to sign.</summary>
    public string[] PreviousSigningKeys { get; set; } = [];

    /// <summary>OpenID Connect authority of an external token issuer.</summary>
    public string? Authority { get; set; }

    /// <summary>Fetch the issuer's metadata only over HTTPS; may be turned off only for an issuer on this machine (loopback).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Maps POST /api/v1/auth/token, which mints a token for any registered agency and an allowed role: development only.</summary>
    public bool DevelopmentTokens { get; set; }

    /// <summary>Per agency kind (wire name), the roles its agencies may hold, replacing that kind's default.</summary>
    public Dictionary<string, string[]> AgencyRoles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    public bool HasExternalIssuer => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SigningKey is { Length: > 0 and < 32 })
            yield return new ValidationResult("Auth:SigningKey must be at least 32 characters.", [nameof(SigningKey)]);
        if (PreviousSigningKeys.Any(k => k.Length < 32))
            yield return new ValidationResult("Every Auth:PreviousSigningKeys entry must be at least 32 characters.", [nameof(PreviousSigningKeys)]);
        if (Authority is { Length: > 0 } a && !Uri.TryCreate(a, UriKind.Absolute, out _))
            yield return new ValidationResult("Auth:Authority must be an absolute URL.", [nameof(Authority)]);
        if (!RequireHttpsMetadata && !(Uri.TryCreate(Authority, UriKind.Absolute, out var authority) && authority.IsLoopback))
            yield return new ValidationResult(
                "Auth:RequireHttpsMetadata=false is allowed only with an Auth:Authority on this machine (loopback); a remote issuer's keys must come over HTTPS.",
                [nameof(RequireHttpsMetadata)]);
        if (HasExternalIssuer && DevelopmentTokens)
            yield return new ValidationResult(
                "Auth:DevelopmentTokens=true and Auth:Authority are both set: with an external issuer every token must come from it. " +
                "Remove Auth:DevelopmentTokens (or Auth:Authority on a development node).", [nameof(DevelopmentTokens)]);
        if (!HasExternalIssuer && !DevelopmentTokens)
            yield return new ValidationResult(
                "No token issuer is configured. Set Auth:Authority to your OpenID Connect issuer (production; env Auth__Authority), " +
                "or set Auth:DevelopmentTokens=true (env Auth__DevelopmentTokens=true) to let this node mint development tokens " +
                "at POST /api/v1/auth/token (never in production).", [nameof(Authority), nameof(DevelopmentTokens)]);
        foreach (var error in AgencyRoleRules.ConfigurationErrors(AgencyRoles))
            yield return new ValidationResult(error, [nameof(AgencyRoles)]);
    }
}
