using System.Text.Json;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Access;

/// <summary>
/// The grants on the cameras of one cell of a district (<see cref="GrantRegistryKey"/>): each change writes the grants it
/// touched as rows (<see cref="GrantRegistryStore"/>), however many cameras they cover and however many grants the cell holds.
/// Active cameras subscribe on activation and unsubscribe on deactivation; only they are told of a change, so idle cameras
/// stay idle.
/// </summary>
public sealed class GrantRegistryGrain(GrantRegistryStore store, IAuditLedger audit, SafetyNetMetrics metrics, TimeProvider clock,
    ILogger<GrantRegistryGrain> logger) : Grain, IGrantRegistryGrain
{
    /// <summary>Where a registry kept its grants as one grain-state blob before they were rows.</summary>
    public const string LegacyStateName = "grant-registry";

    /// <summary>The ledger's reason, and actor, when a stored grant held longer than the ledger says (<see cref="GrantLedgerReplay"/>).</summary>
    public const string StaleGrantReason = "grant-record-older-than-ledger";
    public const string GrantGuardActor = "grant-guard";

    private readonly HashSet<string> _subscribers = new(StringComparer.Ordinal);
    private GrantRegistryState _state = new();

    private string Registry => this.GetPrimaryKeyString();

    private GrantCoverage Coverage => new(_state);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = await store.LoadAsync(Registry);
        // Only a registry never written as rows can still have a blob: the others skip that read on every activation.
        if (_state.Version == 0) await MoveLegacyStateToRowsAsync();
        await EndWhatTheLedgerEndedAsync();
        // Cameras that subscribed to an earlier activation (lost with its silo, or collected while idle) do not know it is
        // gone: every camera a grant holds on is told of the next change, which activates an idle one at most once.
        _subscribers.UnionWith(Coverage.Cameras);
    }

    /// <summary>A registry written before grants were rows: its grants become rows, then its blob is cleared.</summary>
    private async Task MoveLegacyStateToRowsAsync()
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var legacy = new GrainState<GrantRegistryState>(new GrantRegistryState());
        await storage.ReadStateAsync(LegacyStateName, this.GetGrainId(), legacy);
        if (!legacy.RecordExists || legacy.State is null) return;
        _state.Grants = legacy.State.Grants;
        _state.Version = legacy.State.Version + 1;
        await store.SaveAsync(Registry, _state, [.. _state.Grants.Keys]);
        await storage.ClearStateAsync(LegacyStateName, this.GetGrainId(), legacy);
    }

    /// <summary>
    /// Rows put back from an older copy could hold a grant on a camera longer than it holds (<see cref="GrantLedgerReplay"/>).
    /// Each stored grant is compared with the ledger's rows of its incident in this district, once per activation, before
    /// any camera hears of it; where it holds longer it is brought forward to the ledger's end, its row is written again,
    /// and the ledger says so.
    /// </summary>
    private async Task EndWhatTheLedgerEndedAsync()
    {
        var corrected = new List<(AccessGrant Grant, Dictionary<string, DateTimeOffset> Ends)>();
        foreach (var covered in _state.Grants.Values.Where(c => c.Until.Count > 0))
        {
            var history = await GrainFactory.GetGrain<IAuditGrain>(0).GrantHistoryAsync(covered.Grant.IncidentId, covered.Grant.AgencyId, District);
            var ledger = GrantLedgerReplay.EndsPerCamera(history, covered.Grant.GrantId);
            var later = GrantLedgerReplay.LaterThanLedger(covered, ledger);
            if (later.Count == 0) continue;
            foreach (var (camera, end) in later) covered.Until[camera] = end;
            corrected.Add((covered.Grant, later));
        }
        if (corrected.Count == 0) return;
        _state.Version++;
        await store.SaveAsync(Registry, _state, [.. corrected.Select(c => c.Grant.GrantId)]);
        foreach (var (grant, ends) in corrected)
        {
            metrics.StoredStateRefused();
            logger.LogCritical("Grant {GrantId} of incident {IncidentId} was stored in registry {Registry} as holding on {Cameras} camera(s) longer than the ledger says: " +
                               "its row was put back from an older copy in the database. It now ends there when the ledger says it ended", grant.GrantId, grant.IncidentId,
                Registry, ends.Count);
            await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.Revocation, Reason: StaleGrantReason, AgencyId: grant.AgencyId,
                IncidentId: grant.IncidentId, Actor: GrantGuardActor, DistrictCode: District,
                Details: JsonSerializer.Serialize(new { grant.GrantId, effectiveAt = ends.Values.Max(), cameras = ends.Keys.Order(StringComparer.Ordinal) })));
        }
    }

    private string District => Registry.Split('/')[0];

    public Task<CameraGrants> SubscribeAsync(string cameraId)
    {
        _subscribers.Add(cameraId);
        return Task.FromResult(GrantsOf(cameraId, clock.GetUtcNow()));
    }

    public Task UnsubscribeAsync(string cameraId)
    {
        _subscribers.Remove(cameraId);
        return Task.CompletedTask;
    }

    public async Task<string[]> IssueAsync(AccessGrant[] grants)
    {
        var withdrawn = grants.Where(g => Coverage.IsWithdrawn(g.GrantId)).Select(g => g.GrantId).ToArray();
        await ChangeAsync(grants.Select(g => g.GrantId), c => grants.SelectMany(c.Issue).ToList());
        return withdrawn;
    }

    public Task ShortenAsync(AccessGrant grant, string[] cameraIds, DateTimeOffset until) =>
        ChangeAsync([grant.GrantId], c => c.Shorten(grant, cameraIds, until).ToList());

    public Task RevokeAsync(string grantId) => ChangeAsync([grantId], c => c.Revoke(grantId).ToList());

    public Task WithdrawAsync(AccessGrant grant) => ChangeAsync([grant.GrantId], c => c.Withdraw(grant).ToList());

    public Task ReprioritiseAsync(string[] grantIds, int priority) => ChangeAsync(grantIds, c => grantIds.SelectMany(id => c.Reprioritise(id, priority)).ToList());

    /// <summary>
    /// Applies the change, writes the grants it and the pruning touched, then tells the subscribed cameras it touched and
    /// waits for them, so that a revocation has ended their leases (and a new grant is in place) when the caller goes on.
    /// A write that fails leaves memory ahead of the rows: the activation is dropped, and the next one reads the rows.
    /// </summary>
    private async Task ChangeAsync(IEnumerable<string> grantIds, Func<GrantCoverage, List<string>> change)
    {
        var touched = change(Coverage);
        var written = grantIds.Union(Coverage.Prune(clock.GetUtcNow()), StringComparer.Ordinal).ToList();
        _state.Version++;
        try
        {
            await store.SaveAsync(Registry, _state, written);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
        var now = clock.GetUtcNow();
        await Task.WhenAll(touched.Distinct(StringComparer.Ordinal).Where(_subscribers.Contains)
            .Select(camera => GrainFactory.GetGrain<ICameraGrain>(camera).GrantsChangedAsync(GrantsOf(camera, now))));
    }

    private CameraGrants GrantsOf(string cameraId, DateTimeOffset now) => new(Coverage.Covering(cameraId, now), _state.Version);
}
