namespace SafetyNet.Contracts.Access;

/// <summary>Stateless: resolves a grant's area to cameras and places the grant on each of them (key: 0).</summary>
[Alias("grant-issuer")]
public interface IGrantIssuerGrain : IGrainWithIntegerKey
{
    /// <summary>Returns the grant with its resolved camera set.</summary>
    [Alias("issue")]
    Task<AccessGrant> IssueAsync(AccessGrant grant);

    /// <summary>Issues several grants at once; a camera covered by several of them is written once.</summary>
    [Alias("issue-all")]
    Task<AccessGrant[]> IssueAllAsync(AccessGrant[] grants);

    /// <summary>Ends the grant on <paramref name="cameraIds"/> at <paramref name="until"/> (a grace period), and audits it.</summary>
    [Alias("shorten")]
    Task ShortenAsync(AccessGrant grant, string[] cameraIds, DateTimeOffset until, string reason);

    [Alias("revoke")]
    Task RevokeAsync(AccessGrant grant, string reason);
}
