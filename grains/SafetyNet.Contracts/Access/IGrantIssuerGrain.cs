namespace SafetyNet.Contracts.Access;

/// <summary>Stateless: resolves a grant's area to cameras and places the grant on each of them (key: 0).</summary>
[Alias("grant-issuer")]
public interface IGrantIssuerGrain : IGrainWithIntegerKey
{
    /// <summary>Returns the grant with its resolved camera set.</summary>
    [Alias("issue")]
    Task<AccessGrant> IssueAsync(AccessGrant grant);

    [Alias("revoke")]
    Task RevokeAsync(AccessGrant grant, string reason);
}
