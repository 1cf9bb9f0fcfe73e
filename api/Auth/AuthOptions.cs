using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Api.Auth;

/// <summary>
/// Section "Auth". With <see cref="Authority"/> unset, this node issues its own tokens (embedded/dev mode) signed with
/// <see cref="SigningKey"/>; with it set, tokens come from that external issuer and the dev token endpoint does not exist.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    [Required] public string Issuer { get; set; } = "safetynet";

    [Required] public string Audience { get; set; } = "safetynet-api";

    /// <summary>HMAC-SHA256 key, at least 32 bytes of text. When empty in dev mode, a key is generated into the data directory.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Keys that tokens may still be signed with during a key rotation; validated, never used to sign.</summary>
    public string[] PreviousSigningKeys { get; set; } = [];

    /// <summary>OpenID Connect authority of an external token issuer.</summary>
    public string? Authority { get; set; }

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    public bool IssuesOwnTokens => string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SigningKey is { Length: > 0 and < 32 })
            yield return new ValidationResult("Auth:SigningKey must be at least 32 characters.", [nameof(SigningKey)]);
        if (PreviousSigningKeys.Any(k => k.Length < 32))
            yield return new ValidationResult("Every Auth:PreviousSigningKeys entry must be at least 32 characters.", [nameof(PreviousSigningKeys)]);
        if (Authority is { Length: > 0 } a && !Uri.TryCreate(a, UriKind.Absolute, out _))
            yield return new ValidationResult("Auth:Authority must be an absolute URL.", [nameof(Authority)]);
    }
}
