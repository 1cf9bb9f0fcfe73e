using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Reviews;

/// <summary>What the whole ledger's verification (<see cref="Audit.LedgerVerifier"/>) says about the month's rows.</summary>
public static class ReviewChainCheck
{
    /// <param name="firstSeq">The month's first row of the district, or null when it had none.</param>
    /// <param name="lastSeq">The month's last row of the district.</param>
    public static ReviewChain For(ChainVerification verification, long? firstSeq, long? lastSeq)
    {
        // The verifier walks from row 1 and stops at the first fault, so every row before that fault was checked.
        var intact = verification.Intact || (verification.FirstBrokenSeq is { } broken && lastSeq is { } last && broken > last);
        var checkpoint = verification.LastCheckpoint;
        var covered = intact && (lastSeq is null || checkpoint?.Seq >= lastSeq);
        return new ReviewChain(intact, covered, firstSeq, lastSeq, verification.RecordsChecked, verification.CheckpointsChecked,
            checkpoint?.Seq, checkpoint?.KeyId, checkpoint?.SignedAt, verification.Problem);
    }
}
