namespace SafetyNet.Contracts.Platform;

/// <summary>
/// Where this node's silo stands in the cluster, for the node's background loops that call grains: a call made before the
/// silo is active, or once it has begun to leave, cannot be delivered.
/// </summary>
public interface ILocalSiloStatus
{
    bool IsActive { get; }

    bool HasBegunLeaving { get; }

    /// <summary>True once this silo is active; false if it began to leave first, or when cancelled.</summary>
    Task<bool> WaitUntilActiveAsync(CancellationToken cancellationToken);
}
