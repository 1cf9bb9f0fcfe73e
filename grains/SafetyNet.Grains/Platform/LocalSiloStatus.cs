using SafetyNet.Contracts.Platform;

namespace SafetyNet.Grains.Platform;

/// <summary>
/// Where this silo stands in the cluster, from Orleans' membership. A grain call made before it is active finds no silo to
/// place the grain on (Orleans logs placement retries), and one made once it has begun to leave is refused (Orleans logs an
/// error). Background loops that keep something registered or refreshed call only while it is active.
/// </summary>
public sealed class LocalSiloStatus(IClusterMembershipService membership, ILocalSiloDetails local) : ILocalSiloStatus
{
    public bool IsActive => Status(membership.CurrentSnapshot) == SiloStatus.Active;

    public bool HasBegunLeaving => Leaving(Status(membership.CurrentSnapshot));

    /// <summary>Whether a silo other than this one is active: one that could take over what this silo leaves behind.</summary>
    public bool AnotherSiloActive => OtherActiveSilos.Count > 0;

    /// <summary>The active silos other than this one.</summary>
    public IReadOnlyList<SiloAddress> OtherActiveSilos => [.. membership.CurrentSnapshot.Members.Values
        .Where(member => member.Status == SiloStatus.Active && !member.SiloAddress.Equals(local.SiloAddress))
        .Select(member => member.SiloAddress)];

    public async Task<bool> WaitUntilActiveAsync(CancellationToken cancellationToken)
    {
        if (IsActive) return true;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                var status = Status(snapshot);
                if (status == SiloStatus.Active) return true;
                if (Leaving(status)) return false;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        return false;
    }

    private SiloStatus Status(ClusterMembershipSnapshot snapshot) => snapshot.GetSiloStatus(local.SiloAddress);

    private static bool Leaving(SiloStatus status) => status is SiloStatus.ShuttingDown or SiloStatus.Stopping or SiloStatus.Dead;
}
