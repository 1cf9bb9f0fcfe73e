using System.ComponentModel.DataAnnotations;
using System.Net;

namespace SafetyNet.Silo.Configuration;

/// <summary>Section "Cluster": how this node joins (or is) the cluster.</summary>
public sealed class NodeClusterOptions : IValidatableObject
{
    public const string Section = "Cluster";

    public ClusterProvider Provider { get; set; } = ClusterProvider.Embedded;

    [Range(1, 65535)] public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)] public int GatewayPort { get; set; } = 30000;

    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")] public string ClusterId { get; set; } = "safetynet";

    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")] public string ServiceId { get; set; } = "safetynet";

    /// <summary>The address other silos reach this one at (Postgres mode); defaults to loopback.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>How clients reach this node's HTTP endpoints (used in media URLs), e.g. http://10.0.0.5:8080.</summary>
    public string? PublicBaseUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SiloPort == GatewayPort)
            yield return new ValidationResult($"Cluster:SiloPort and Cluster:GatewayPort are both {SiloPort}; they must differ.");
        if (!IPAddress.TryParse(AdvertisedAddress, out _))
            yield return new ValidationResult($"Cluster:AdvertisedAddress '{AdvertisedAddress}' is not an IP address.");
        if (PublicBaseUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return new ValidationResult($"Cluster:PublicBaseUrl '{url}' is not an absolute http(s) URL.");
    }
}
