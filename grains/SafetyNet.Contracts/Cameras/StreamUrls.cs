using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SafetyNet.Contracts.Cameras;

/// <summary>
/// The rules for camera stream URLs: which ones the node may store and fetch (no server-side request forgery), and how
/// one is shown to callers who may not see its credentials.
/// </summary>
public static partial class StreamUrls
{
    public const int MaxLength = 2048;
    public const string LavfiPrefix = "lavfi:";

    // Cloud instance metadata services (AWS, GCP, Azure, OpenStack; Alibaba; AWS over IPv6): never a camera.
    private static readonly IPAddress[] MetadataAddresses =
        [IPAddress.Parse("169.254.169.254"), IPAddress.Parse("100.100.100.200"), IPAddress.Parse("fd00:ec2::254")];

    private static readonly string[] MetadataHosts = ["metadata", "metadata.google.internal", "metadata.goog", "instance-data"];

    public static bool IsGenerated(string url) => url.StartsWith(LavfiPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Why a caller may not store this URL, or null when it may: syntax, scheme, and the host when it is an address literal
    /// or a name that always means this machine. Names are resolved only when the URL is fetched (<see cref="AddressRefusal"/>).
    /// The reason never repeats the URL, which may hold credentials.
    /// </summary>
    public static UrlRefusal? Refusal(string? url, StreamUrlOptions policy) => Refusal(url, policy, policy.AllowedSchemes, "stream URL", "rtsp://host:554/path");

    /// <summary>The same rules for a camera's ONVIF device service URL (http or https, e.g. http://user:pass@host/onvif/device_service).</summary>
    public static UrlRefusal? OnvifRefusal(string? url, StreamUrlOptions policy) => Refusal(url, policy, OnvifSchemes, "ONVIF URL", "http://host/onvif/device_service");

    public static readonly IReadOnlyList<string> OnvifSchemes = ["http", "https"];

    private static UrlRefusal? Refusal(string? url, StreamUrlOptions policy, IReadOnlyList<string> schemes, string what, string example)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxLength) return UrlRefusals.Missing(what, MaxLength);
        if (url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '"' or '\\')) return UrlRefusals.Characters(what);
        if (IsGenerated(url)) return UrlRefusals.Generated();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return UrlRefusals.Relative(what, example, schemes);
        if (!schemes.Contains(uri.Scheme.ToLowerInvariant())) return UrlRefusals.Scheme(what, uri.Scheme, schemes);
        var host = uri.IdnHost.Trim('[', ']').TrimEnd('.');
        if (host.Length == 0) return UrlRefusals.Hostless(what);
        if (MetadataHosts.Contains(host, StringComparer.OrdinalIgnoreCase)) return UrlRefusals.Metadata(what);
        if (!policy.AllowLoopback && (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
            return UrlRefusals.ThisMachine(what);
        return IPAddress.TryParse(host, out var address) ? AddressRefusal(address, policy, what) : null;
    }

    /// <summary>Why the node may not connect to this address, or null when it may.</summary>
    public static UrlRefusal? AddressRefusal(IPAddress address, StreamUrlOptions policy, string what = "stream URL")
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (MetadataAddresses.Contains(address)) return UrlRefusals.Metadata(what);
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if (bytes[0] == 0) return UrlRefusals.Unspecified(what, "0.0.0.0/8");
            if (address.Equals(IPAddress.Broadcast)) return UrlRefusals.BroadcastAddress(what);
            if (bytes[0] == 127 && !policy.AllowLoopback) return UrlRefusals.ThisMachine(what);
            if (bytes[0] == 169 && bytes[1] == 254 && !policy.AllowLinkLocal) return UrlRefusals.LinkLocalAddress(what, "169.254.0.0/16");
            if (bytes[0] >= 224 && bytes[0] <= 239 && !policy.AllowMulticast) return UrlRefusals.MulticastAddress(what);
            if (bytes[0] >= 240) return UrlRefusals.Reserved(what, "240.0.0.0/4");
            return null;
        }
        if (address.Equals(IPAddress.IPv6Any)) return UrlRefusals.Unspecified(what, "::");
        if (address.Equals(IPAddress.IPv6Loopback) && !policy.AllowLoopback) return UrlRefusals.ThisMachine(what);
        if (address.IsIPv6LinkLocal && !policy.AllowLinkLocal) return UrlRefusals.LinkLocalAddress(what, "fe80::/10");
        if (address.IsIPv6Multicast && !policy.AllowMulticast) return UrlRefusals.MulticastAddress(what);
        return null;
    }

    /// <summary>
    /// The URL without credentials: the user-info part becomes "***" and the value of every parameter whose name looks like a
    /// secret (password, pwd, token, key, auth, secret, signature, credential) becomes "***". For callers who may not hold them.
    /// </summary>
    public static string Redact(string url)
    {
        var redacted = url;
        var schemeEnd = redacted.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            var authorityStart = schemeEnd + 3;
            var end = redacted.IndexOfAny(['?', '#'], authorityStart);
            if (end < 0) end = redacted.Length;
            // The last '@' before the query: a password holding '/' or '@' (which ffmpeg users write unescaped) is covered too.
            var at = end > authorityStart ? redacted.LastIndexOf('@', end - 1, end - authorityStart) : -1;
            if (at >= 0) redacted = string.Concat(redacted.AsSpan(0, authorityStart), "***", redacted.AsSpan(at));
        }
        return SecretParameter().Replace(redacted, m => $"{m.Groups["name"].Value}=***");
    }

    [GeneratedRegex(@"(?<name>[A-Za-z0-9_.\-]*(?:pass|pwd|token|key|auth|secret|sig|cred)[A-Za-z0-9_.\-]*)=(?<value>[^&;#/?]*)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretParameter();
}
