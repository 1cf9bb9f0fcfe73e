using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace SafetyNet.Api.Auth;

/// <summary>
/// The HMAC keys tokens are signed and validated with. In dev mode without a configured key, one is generated once and kept
/// in the data directory (mode 600) so that tokens survive a restart.
/// </summary>
public sealed class SigningKeys
{
    public SigningKeys(AuthOptions options, string generatedKeyPath)
    {
        var current = string.IsNullOrWhiteSpace(options.SigningKey) ? LoadOrCreate(generatedKeyPath) : options.SigningKey;
        Current = ToKey(current);
        ValidationKeys = [Current, .. options.PreviousSigningKeys.Select(ToKey)];
    }

    public SymmetricSecurityKey Current { get; }

    public IReadOnlyList<SecurityKey> ValidationKeys { get; }

    /// <summary>
    /// Each key gets an id (a short hash) so tokens name the key that signed them. It also matters with an external issuer:
    /// the token handler compares key ids across all keys when a signature fails, and fails itself on a key without one.
    /// </summary>
    private static SymmetricSecurityKey ToKey(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new SymmetricSecurityKey(bytes) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(bytes)[..8]) };
    }

    private static string LoadOrCreate(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }
}
