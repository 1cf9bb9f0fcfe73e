using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using SafetyNet.Api.Auth;

namespace SafetyNet.Api.Media;

/// <summary>
/// Signed tokens for media URLs: {lease, camera, session} under HMAC-SHA256 with the node's signing key. A player carries one
/// in every playlist and segment URL. The token only names the lease; it carries no expiry of its own, because the media
/// endpoint asks the camera on every request whether that lease still holds (its current expiry after any number of
/// renewals, and the rule's current answer). So one playlist URL plays for exactly as long as the right lasts, no longer.
/// </summary>
public sealed class MediaTokens(SigningKeys keys)
{
    public sealed record Claims(string LeaseId, string CameraId, string SessionId);

    /// <summary>The same lease always gets the same token, so a renewal answers the playlist URL the viewer already plays.</summary>
    public string Issue(string leaseId, string cameraId, string sessionId)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Claims(leaseId, cameraId, sessionId));
        var body = Base64UrlEncoder.Encode(payload);
        return $"{body}.{Sign(body, keys.Current.Key)}";
    }

    /// <summary>The claims when the token is genuine and for this camera; otherwise null and why.</summary>
    public Claims? Validate(string? token, string cameraId, out string? problem)
    {
        problem = null;
        var parts = token?.Split('.') ?? [];
        if (parts.Length != 2)
        {
            problem = "A media token is required (?token=...).";
            return null;
        }
        if (!keys.ValidationKeys.OfType<SymmetricSecurityKey>().Any(k => CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(Sign(parts[0], k.Key)), Encoding.ASCII.GetBytes(parts[1]))))
        {
            problem = "The media token's signature is not valid.";
            return null;
        }
        Claims? claims;
        try
        {
            claims = JsonSerializer.Deserialize<Claims>(Base64UrlEncoder.DecodeBytes(parts[0]));
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            claims = null;
        }
        if (claims is not { LeaseId: not null, CameraId: not null, SessionId: not null }) problem = "The media token is malformed.";
        else if (claims.CameraId != cameraId) problem = "The media token is for another camera.";
        return problem is null ? claims : null;
    }

    private static string Sign(string body, byte[] key) => Base64UrlEncoder.Encode(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(body)));
}
