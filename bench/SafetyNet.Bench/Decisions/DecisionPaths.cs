using System.Collections.Concurrent;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Sessions;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Bench.Decisions;

/// <summary>
/// The ways into the access decision path the benchmark times, from the whole path down to the audit ledger alone, so
/// that the cost of each layer shows. Every operation is one decision (or one audit entry) for caller i.
/// </summary>
public sealed class DecisionPaths(IGrainFactory grains, IAuditLedger ledger, AgencyInfo agency)
{
    private const AccessPurpose Purpose = AccessPurpose.Monitoring;

    /// <summary>How often each decision reason came back, over every decision made through these paths.</summary>
    public ConcurrentDictionary<string, long> Outcomes { get; } = new();

    /// <summary>Session grain → camera grain → district policy → audit ledger. Each caller starts and owns one session.</summary>
    public async Task<Func<int, long, ValueTask>> ThroughSessionsAsync(string name, int callers, Func<string> pickCamera)
    {
        var sessions = await Task.WhenAll(Enumerable.Range(0, callers).Select(async i =>
        {
            var sessionId = $"bench-{name}-{i}";
            var principal = new OperatorPrincipal($"bench-operator-{name}-{i}", agency.Id, "operator", sessionId);
            var session = grains.GetGrain<IAgencySessionGrain>(sessionId);
            await session.StartAsync(principal);
            return (Grain: session, Principal: principal);
        }));
        return async (caller, _) =>
        {
            var (session, principal) = sessions[caller];
            Count(await session.DecideAsync(principal, new AccessRequest(pickCamera(), Purpose)));
        };
    }

    /// <summary>Camera grain → district policy → audit ledger, as the session grain calls it, without the session hop.</summary>
    public Func<int, long, ValueTask> ThroughCameras(Func<string> pickCamera) => async (caller, _) =>
    {
        var subject = new AccessSubject($"bench-direct-{caller}", $"bench-operator-direct-{caller}", agency);
        var cameraId = pickCamera();
        Count(await grains.GetGrain<ICameraGrain>(cameraId).DecideAsync(subject, new AccessRequest(cameraId, Purpose)));
    };

    /// <summary>One access-decision audit entry appended and acknowledged (durable) by the group-committing ledger.</summary>
    public Func<int, long, ValueTask> LedgerOnly(Func<string> pickCamera) => async (caller, _) =>
        await ledger.AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.AccessDecision, "allow", DecisionReasons.StandingPolicy,
            pickCamera(), agency.Id, $"bench-ledger-{caller}", null, $"{agency.Id}/bench-operator-ledger-{caller}",
            """{"purpose":"monitoring","grant":null}"""));

    private void Count(AccessDecision decision) => Outcomes.AddOrUpdate(decision.Reason, 1, (_, n) => n + 1);
}
