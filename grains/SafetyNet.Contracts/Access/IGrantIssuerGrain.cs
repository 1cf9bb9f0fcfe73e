namespace SafetyNet.Contracts.Access;

/// <summary>Stateless: resolves a grant's area to cameras and records the grant with the registry of each district it covers (key: 0).</summary>
[Alias("grant-issuer")]
public interface IGrantIssuerGrain : IGrainWithIntegerKey
{
    /// <summary>Returns the grant with its resolved camera set.</summary>
    [Alias("issue")]
    Task<AccessGrant> IssueAsync(AccessGrant grant);

    /// <summary>Issues several grants at once; each district's registry is written once.</summary>
    [Alias("issue-all")]
    Task<AccessGrant[]> IssueAllAsync(AccessGrant[] grants);

    /// <summary>Ends the grant on <paramref name="cameraIds"/> at <paramref name="until"/> (a grace period), and audits it.</summary>
    [Alias("shorten")]
    Task ShortenAsync(AccessGrant grant, string[] cameraIds, DateTimeOffset until, string reason);

    [Alias("revoke")]
    Task RevokeAsync(AccessGrant grant, string reason);

    /// <summary>
    /// Revokes a grant whose issue failed or may still be under way (its caller gave up on it): each registry remembers
    /// the withdrawal until the grant's expiry, so an issue that lands later never puts it in force.
    /// </summary>
    [Alias("withdraw")]
    Task WithdrawAsync(AccessGrant grant, string reason);

    /// <summary>The grants' incident changed its priority (the grants carry it already).</summary>
    [Alias("reprioritise")]
    Task ReprioritiseAsync(AccessGrant[] grants);
}
