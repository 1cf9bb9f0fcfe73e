using SafetyNet.Contracts.Access;

namespace SafetyNet.Grains.Access;

/// <summary>
/// The grant registry's rules over its state, pure so they can be tested without a cluster. Each change returns the
/// cameras whose grants it touched. An end is only ever brought forward, except by issuing the grant again.
/// </summary>
public sealed class GrantCoverage(GrantRegistryState state)
{
    public IEnumerable<string> Issue(AccessGrant grant)
    {
        if (IsWithdrawn(grant.GrantId)) return [];
        var covered = Entry(grant);
        covered.Grant = grant with { CameraIds = [] };
        foreach (var camera in grant.CameraIds) covered.Until[camera] = grant.ExpiresAt;
        if (grant.CameraIds.Length > 0) EndsAt(grant.ExpiresAt);
        return grant.CameraIds;
    }

    public IEnumerable<string> Shorten(AccessGrant grant, IEnumerable<string> cameraIds, DateTimeOffset until)
    {
        if (IsWithdrawn(grant.GrantId)) return [];
        var end = until < grant.ExpiresAt ? until : grant.ExpiresAt;
        var covered = Entry(grant);
        var touched = new List<string>();
        foreach (var camera in cameraIds)
        {
            covered.Until[camera] = covered.Until.TryGetValue(camera, out var held) && held < end ? held : end;
            touched.Add(camera);
        }
        if (touched.Count > 0) EndsAt(end);
        return touched;
    }

    public IEnumerable<string> Revoke(string grantId) =>
        state.Grants.Remove(grantId, out var covered) ? covered.Until.Keys : [];

    /// <summary>
    /// Ends the grant everywhere and, unlike a revocation, remembers it until its absolute expiry, so that the grant can
    /// never be put in force after this, even by an issue already on its way.
    /// </summary>
    public IEnumerable<string> Withdraw(AccessGrant grant)
    {
        var covered = Entry(grant);
        var touched = covered.Until.Keys.ToList();
        covered.Until.Clear();
        covered.Withdrawn = true;
        EndsAt(grant.ExpiresAt);
        return touched;
    }

    public IEnumerable<string> Reprioritise(string grantId, int priority)
    {
        if (!state.Grants.TryGetValue(grantId, out var covered)) return [];
        covered.Grant = covered.Grant with { Priority = priority };
        return covered.Until.Keys;
    }

    /// <summary>The grants holding on the camera at <paramref name="now"/>, each ending when it ends there.</summary>
    public AccessGrant[] Covering(string cameraId, DateTimeOffset now) => state.Grants.Values
        .Where(c => c.Until.TryGetValue(cameraId, out var until) && now < until)
        .Select(c => c.Grant with { CameraIds = [cameraId], ExpiresAt = c.Until[cameraId] })
        .ToArray();

    /// <summary>Every camera some grant still holds on.</summary>
    public IEnumerable<string> Cameras => state.Grants.Values.SelectMany(c => c.Until.Keys).Distinct(StringComparer.Ordinal);

    /// <summary>Forgets what has ended, so the state holds only live grants; returns the grants it shortened or removed.</summary>
    public List<string> Prune(DateTimeOffset now)
    {
        var changed = new List<string>();
        if (state.NoEndBefore is { } first && now < first) return changed;
        var next = DateTimeOffset.MaxValue;
        foreach (var (grantId, covered) in state.Grants.ToList())
        {
            if (covered.Withdrawn)
            {
                if (covered.Grant.ExpiresAt <= now)
                {
                    state.Grants.Remove(grantId);
                    changed.Add(grantId);
                }
                else if (covered.Grant.ExpiresAt < next) next = covered.Grant.ExpiresAt;
                continue;
            }
            var ended = covered.Until.Where(u => u.Value <= now).Select(u => u.Key).ToList();
            foreach (var until in covered.Until.Values)
                if (until > now && until < next) next = until;
            if (ended.Count == 0) continue;
            foreach (var camera in ended) covered.Until.Remove(camera);
            if (covered.Until.Count == 0) state.Grants.Remove(grantId);
            changed.Add(grantId);
        }
        state.NoEndBefore = next;
        return changed;
    }

    /// <summary>Keeps <see cref="GrantRegistryState.NoEndBefore"/> no later than an end just recorded.</summary>
    private void EndsAt(DateTimeOffset end)
    {
        if (state.NoEndBefore is { } first && end < first) state.NoEndBefore = end;
    }

    public bool IsWithdrawn(string grantId) => state.Grants.TryGetValue(grantId, out var covered) && covered.Withdrawn;

    private CoveredGrant Entry(AccessGrant grant)
    {
        if (!state.Grants.TryGetValue(grant.GrantId, out var covered))
            state.Grants[grant.GrantId] = covered = new CoveredGrant { Grant = grant with { CameraIds = [] } };
        return covered;
    }
}
