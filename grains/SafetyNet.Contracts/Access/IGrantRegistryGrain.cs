using Orleans.Concurrency;

namespace SafetyNet.Contracts.Access;

/// <summary>
/// The incident grants that cover the cameras of one cell of a district (key: district code / cell, about a kilometre),
/// persisted once per change rather than in
/// every camera. A camera asks it on activation and is then told of every change while it stays active.
/// </summary>
[Alias("grant-registry")]
public interface IGrantRegistryGrain : IGrainWithStringKey
{
    /// <summary>The grants covering the camera now; the camera is told of every later change until it unsubscribes.</summary>
    [Alias("subscribe"), AlwaysInterleave]
    Task<CameraGrants> SubscribeAsync(string cameraId);

    [Alias("unsubscribe"), OneWay, AlwaysInterleave]
    Task UnsubscribeAsync(string cameraId);

    /// <summary>
    /// Places (or replaces) each grant on its cameras of this district, until the grant's expiry. Returns the ids of those
    /// it ignored because they were withdrawn before their issue arrived.
    /// </summary>
    [Alias("issue")]
    Task<string[]> IssueAsync(AccessGrant[] grants);

    /// <summary>Ends the grant on the cameras at <paramref name="until"/> at the latest; never lengthens it.</summary>
    [Alias("shorten")]
    Task ShortenAsync(AccessGrant grant, string[] cameraIds, DateTimeOffset until);

    [Alias("revoke")]
    Task RevokeAsync(string grantId);

    /// <summary>Ends the grant and keeps it from ever holding here, even if its issue arrives after this (until its expiry).</summary>
    [Alias("withdraw")]
    Task WithdrawAsync(AccessGrant grant);

    /// <summary>The incident's priority changed: leases opened under these grants from now on take it.</summary>
    [Alias("reprioritise")]
    Task ReprioritiseAsync(string[] grantIds, int priority);
}

/// <summary>The grants covering one camera, as of the registry's change <see cref="Version"/> (a later one replaces an earlier).</summary>
[GenerateSerializer, Immutable, Alias("camera-grants")]
public sealed record CameraGrants([property: Id(0)] AccessGrant[] Grants, [property: Id(1)] long Version);
