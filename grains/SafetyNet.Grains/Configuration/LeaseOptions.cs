using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Grains.Configuration;

/// <summary>Section "Leases": viewer leases, capacity caps and incident pre-warming.</summary>
public sealed class LeaseOptions
{
    public const string Section = "Leases";

    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Concurrent viewers of one camera.</summary>
    [Range(1, 1000)]
    public int ViewerCapPerCamera { get; set; } = 20;

    /// <summary>Concurrent upstream pulls (running relays) per district: district uplinks are finite.</summary>
    [Range(1, 100_000)]
    public int UpstreamCapPerDistrict { get; set; } = 200;

    /// <summary>
    /// How long a camera's claim on its district's uplink lasts unless renewed; a running relay renews it every third of
    /// this. So a claim whose relay died with its node frees its slot, and a district grain that moved re-learns its slots.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan UpstreamClaimLifetime { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan UpstreamClaimRenewal => UpstreamClaimLifetime / 3;

    /// <summary>How many of an incident's nearest cameras get a relay before anyone asks; it runs until the incident closes.</summary>
    [Range(0, 50)]
    public int PrewarmCount { get; set; } = 4;

    /// <summary>Pre-warming stops adding relays on a node already running this many (viewers' relays are not limited by it).</summary>
    [Range(0, 10_000)]
    public int PrewarmMaxRelaysPerNode { get; set; } = 16;
}
