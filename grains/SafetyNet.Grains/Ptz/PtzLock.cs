namespace SafetyNet.Grains.Ptz;

/// <summary>Who holds a camera's PTZ lock: through which lease, for which session and agency, at which priority (1 highest).</summary>
public sealed record PtzLockHolder(string LeaseId, string SessionId, string AgencyId, string OperatorId, int Priority, string? IncidentId)
{
    public string Actor => $"{AgencyId}/{OperatorId}";
}

public enum PtzLockOutcome
{
    /// <summary>The lock was free (or had lapsed) and is now the candidate's.</summary>
    Acquired,

    /// <summary>The candidate's session already held it; its lifetime starts again (through the candidate's lease).</summary>
    Renewed,

    /// <summary>A lower-priority holder lost it to the candidate; <see cref="PtzLockResult.Previous"/> must be told.</summary>
    Preempted,

    /// <summary>Someone of equal or higher priority holds it; <see cref="PtzLockResult.Previous"/> is who, until when.</summary>
    Refused,
}

public sealed record PtzLockResult(PtzLockOutcome Outcome, PtzLockHolder? Previous, DateTimeOffset Until);

/// <summary>
/// A camera's PTZ lock as a pure state machine on a <see cref="TimeProvider"/>: one holder at a time; a holder's lock lapses
/// <c>timeout</c> after it was taken or last used; a strictly higher priority (lower number) takes it over. Ending a lock
/// (release, lapse, its lease ending) hands back the holder so that the caller can send the camera home and audit it.
/// </summary>
public sealed class PtzLock(TimeProvider clock, TimeSpan timeout)
{
    public PtzLockHolder? Holder { get; private set; }

    public DateTimeOffset Until { get; private set; }

    /// <summary>The holder whose lock has lapsed by now, after clearing it; null while it holds (or nobody held it).</summary>
    public PtzLockHolder? Expire()
    {
        if (Holder is not { } holder || clock.GetUtcNow() < Until) return null;
        Holder = null;
        return holder;
    }

    public PtzLockResult Acquire(PtzLockHolder candidate)
    {
        if (Holder is not { } holder)
        {
            Take(candidate);
            return new PtzLockResult(PtzLockOutcome.Acquired, null, Until);
        }
        if (holder.SessionId == candidate.SessionId)
        {
            Take(candidate);
            return new PtzLockResult(PtzLockOutcome.Renewed, holder, Until);
        }
        if (candidate.Priority < holder.Priority)
        {
            Take(candidate);
            return new PtzLockResult(PtzLockOutcome.Preempted, holder, Until);
        }
        return new PtzLockResult(PtzLockOutcome.Refused, holder, Until);
    }

    /// <summary>A command by this session's holder: the lock lives on for another timeout. False when the session does not hold it.</summary>
    public bool Touch(string sessionId)
    {
        if (Holder?.SessionId != sessionId) return false;
        Until = clock.GetUtcNow() + timeout;
        return true;
    }

    /// <summary>The holder when this session held the lock (now released), else null.</summary>
    public PtzLockHolder? Release(string sessionId) => Holder?.SessionId == sessionId ? Clear() : null;

    /// <summary>The holder when the lock was held through this lease (now ended with it), else null.</summary>
    public PtzLockHolder? EndLease(string leaseId) => Holder?.LeaseId == leaseId ? Clear() : null;

    private PtzLockHolder? Clear()
    {
        var holder = Holder;
        Holder = null;
        return holder;
    }

    private void Take(PtzLockHolder candidate)
    {
        Holder = candidate;
        Until = clock.GetUtcNow() + timeout;
    }
}
