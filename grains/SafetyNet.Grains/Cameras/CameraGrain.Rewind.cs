using System.Text.Json;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media.Streams;

namespace SafetyNet.Grains.Cameras;

/// <summary>Rewinding a lease into the minutes the relay keeps, under the separate recorded-video right; every attempt is in the ledger.</summary>
public sealed partial class CameraGrain
{
    /// <summary>Leases that have rewound (in memory: after a move of this grain, a player rewinds again before the window is served).</summary>
    private readonly HashSet<string> _rewound = new(StringComparer.Ordinal);

    /// <summary>The window is served to a lease that rewound, while it holds the right by the lease and by the rule's current answer.</summary>
    private bool MayFetchWindow(StreamLease lease) =>
        lease.RecordedVideo && _rewound.Contains(lease.LeaseId) && _leaseDecisions.Last(lease.LeaseId)?.RecordedVideo == true;

    public async Task<RewindOutcome> RewindAsync(string leaseId, string sessionId, DateTimeOffset at)
    {
        var lease = state.State.Leases.FirstOrDefault(l => l.LeaseId == leaseId);
        if (lease is null || lease.SessionId != sessionId)
            throw DomainException.NotFound($"There is no open lease '{leaseId}' of this session; it may have ended ({_recentEnds.ReasonFor(leaseId) ?? LeaseEndReasons.Ended}).");
        if (await EndingReasonAsync(lease, clock.GetUtcNow()) is { } ending)
        {
            await EndLeaseAsync(leaseId, ending);
            throw DomainException.Conflict($"The lease has ended ({ending}): {LeaseEndReasons.Explain(ending)}");
        }
        var decision = _leaseDecisions.Last(leaseId);
        if (!lease.RecordedVideo || decision?.RecordedVideo != true)
            return await AuditRewindAsync(lease, at, DecisionReasons.RecordedVideoNotAllowed, window: null);
        await AcquireStreamAsync(await RequireAsync(), StreamConsumer.ViewerOf(lease));
        if (relays.ReadPlaylist(Id, RenditionFor(lease.Unmasked), window: true)?.Span is not { } window)
            throw DomainException.Conflict($"Camera '{Id}' has no rewind window yet: its relay is starting. Retry shortly.");
        var camera = await RequireAsync();
        var basis = RecordedVideoRules.Basis(decision, camera, await policies.GetAsync(camera.DistrictCode), _grants, (await HolderOfAsync(lease))!);
        return await AuditRewindAsync(lease, at, at < window.Start || at > window.End ? DecisionReasons.RewindOutsideWindow : null, window, basis);
    }

    private async Task<RewindOutcome> AuditRewindAsync(StreamLease lease, DateTimeOffset at, string? refusal, (DateTimeOffset Start, DateTimeOffset End)? window, string? basis = null)
    {
        if (refusal is null) _rewound.Add(lease.LeaseId);
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.Rewind, refusal is null ? "allow" : "deny", refusal ?? basis, Id, lease.AgencyId,
            lease.SessionId, lease.IncidentId, $"{lease.AgencyId}/{lease.OperatorId}",
            JsonSerializer.Serialize(new { lease.LeaseId, at, windowStart = window?.Start, windowEnd = window?.End, rendition = RenditionFor(lease.Unmasked) }, Json),
            _camera?.DistrictCode, EnumNames<AccessPurpose>.NameOf(lease.Purpose)));
        return new RewindOutcome(refusal, window?.Start, window?.End, lease);
    }
}
