using Orleans.Concurrency;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Contracts.Sessions;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Cameras;
using SafetyNet.Grains.Districts;
using SafetyNet.Grains.Spatial;

namespace SafetyNet.Grains.Access;

/// <summary>
/// The city-wide access overview of one session's agency, evaluated with <see cref="AccessRules"/> itself: once per
/// district × purpose on an online camera with no grant, and once per camera its open incidents grant. Not an access
/// decision on any camera, so the ledger gets one summary row per request (who looked, how much was judged and allowed);
/// it reveals only policies every role may read and the agency's own grants. In an incident's context it judges for that
/// incident's purpose and lists only the cameras that incident grants.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class AccessOverviewGrain(CameraIndex index, IAuditLedger audit, IServedDistricts served, TimeProvider clock) : Grain, IAccessOverviewGrain
{
    public async Task<AccessOverview> GetAsync(OperatorPrincipal principal, string? incidentId = null)
    {
        var now = clock.GetUtcNow();
        var subject = await SubjectAsync(principal, now);
        var context = incidentId is null ? null
            : await GrainFactory.GetGrain<IIncidentGrain>(incidentId).GetAsync() ?? throw DomainException.NotFound($"There is no incident '{incidentId}'.");
        var viewing = context?.Purpose ?? AccessPurpose.Monitoring;
        var policies = await DistrictPolicies.AllAsync(served, GrainFactory);

        var districts = policies.SelectMany(p => Enum.GetValues<CameraPurpose>().Select(purpose =>
        {
            var probe = new CameraInfo($"{p.Key}/{purpose}", p.Key, default, purpose, CameraStatus.Online, "");
            var decision = AccessRules.Decide(probe, p.Value, [], subject, new AccessRequest(probe.Id, viewing, incidentId), now);
            var access = decision.Allowed ? StandingAccess.Allowed
                : decision.Reason == DecisionReasons.PolicyNever ? StandingAccess.Denied
                : StandingAccess.DuringIncident;
            return new DistrictPurposeAccess(p.Key, purpose, access, decision.Reason);
        })).ToArray();

        var incidents = context is null ? await OpenIncidentsOfAsync(subject.Agency.Id) : [context];
        var (granted, grantedJudged) = GrantedCameras(subject, incidents, policies, now);
        await audit.AppendAsync(AccessPreviewSummary.Create(now, "access-overview", subject.Agency.Id, principal.Actor, subject.SessionId, incidentId,
            districts.Length + grantedJudged, districts.Count(d => d.Access == StandingAccess.Allowed) + granted.Length));
        return new AccessOverview(subject.Agency.Id, districts, granted, now);
    }

    /// <summary>Only the principal's own live session opens the overview, as it would any view.</summary>
    private async Task<AccessSubject> SubjectAsync(OperatorPrincipal principal, DateTimeOffset now)
    {
        if (principal.SessionId is not { } sessionId) throw DomainException.Forbidden(DecisionReasons.Explain(DecisionReasons.SessionRequired));
        var session = await GrainFactory.GetGrain<IAgencySessionGrain>(sessionId).GetAsync();
        if (session is null || session.AgencyId != principal.AgencyId || session.OperatorId != principal.OperatorId)
            throw DomainException.Forbidden(DecisionReasons.Explain(DecisionReasons.SessionMismatch));
        if (!session.IsAliveAt(now)) throw DomainException.Forbidden(DecisionReasons.Explain(DecisionReasons.SessionExpired));
        var agency = await GrainFactory.GetGrain<IAgencyGrain>(principal.AgencyId).GetAsync()
            ?? throw DomainException.Forbidden($"Agency '{principal.AgencyId}' is not registered.");
        return new AccessSubject(sessionId, principal.OperatorId, agency);
    }

    /// <summary>The open (or closing) incidents the agency responds to.</summary>
    private async Task<IncidentView[]> OpenIncidentsOfAsync(string agencyId)
    {
        var incidents = (await GrainFactory.GetGrain<IIncidentDirectoryGrain>(0).ListAsync())
            .Where(i => i.Status != IncidentStatus.Closed && i.Agencies.Contains(agencyId));
        return (await Task.WhenAll(incidents.Select(i => GrainFactory.GetGrain<IIncidentGrain>(i.Id).GetAsync().AsTask()))).OfType<IncidentView>().ToArray();
    }

    /// <summary>Cameras these incidents grant the agency now and the rules would allow under that grant; and how many were judged.</summary>
    private (GrantedCamera[] Granted, int Judged) GrantedCameras(AccessSubject subject, IncidentView[] incidents, IReadOnlyDictionary<string, SharingPolicy> policies, DateTimeOffset now)
    {
        var cameras = index.Current;
        var candidates = incidents
            .SelectMany(v => v.Grants)
            .Where(g => g.AgencyId == subject.Agency.Id && g.IsActiveAt(now))
            .SelectMany(g => g.CameraIds.Select(id => (Grant: g, Camera: cameras.Find(id))))
            .ToArray();
        var granted = candidates
            .Where(x => x.Camera is not null && policies.TryGetValue(x.Camera.DistrictCode, out var policy) && AccessRules.Decide(x.Camera, policy, [x.Grant], subject,
                new AccessRequest(x.Camera.Id, x.Grant.Purpose, x.Grant.IncidentId), now).Allowed)
            .GroupBy(x => x.Camera!.Id, StringComparer.Ordinal)
            .Select(byCamera => byCamera.MaxBy(x => x.Grant.ExpiresAt))
            .Select(x => new GrantedCamera(x.Camera!.Id, x.Grant.IncidentId, x.Grant.Purpose, x.Grant.ExpiresAt))
            .ToArray();
        return (granted, candidates.Length);
    }
}
