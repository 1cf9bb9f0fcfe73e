using System.Net;
using System.Net.Sockets;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Grains.Cameras;

/// <summary>
/// A network stream URL checked against the stream policy with its host resolved: the addresses the node may connect to, or
/// why it must not. Whoever connects must use these addresses, not resolve the name again, or a name could resolve to an
/// allowed address when checked and to a forbidden one when fetched.
/// </summary>
public sealed record StreamHost(IReadOnlyList<IPAddress> Addresses, string? Refusal)
{
    /// <summary>Checks a network URL's rules, then resolves its host and checks every address. Throws <see cref="SocketException"/> when the name does not resolve now.</summary>
    public static async Task<StreamHost> ResolveAsync(string url, StreamUrlOptions policy, CancellationToken cancellationToken)
    {
        if (StreamUrls.Refusal(url, policy) is { } refusal) return Refused(refusal.Reason);
        var host = new Uri(url).IdnHost.Trim('[', ']');
        if (IPAddress.TryParse(host, out var literal)) return new StreamHost([literal], null);
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        foreach (var address in addresses)
            if (StreamUrls.AddressRefusal(address, policy) is { } addressRefusal)
                return Refused($"{addressRefusal.Reason} (its host name resolves to {address})");
        return addresses.Length == 0 ? Refused("The stream URL's host name resolves to no address.") : new StreamHost(addresses, null);
    }

    private static StreamHost Refused(string reason) => new([], reason);
}
