using Orleans.Concurrency;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Incidents;

/// <summary>The directory's state before it moved to rows: read once, copied into the rows, then cleared.</summary>
[GenerateSerializer, Alias("incident-directory-state")]
public sealed class IncidentDirectoryState
{
    [Id(0)] public Dictionary<string, string> IncidentByReference { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, IncidentSummary> Incidents { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// What is current, kept in memory for listing and for dashboards (re)subscribing; every change is one row written
/// through <see cref="IncidentDirectoryStore"/>, so a write costs one summary however many incidents there are. The rows
/// that arrive while a write is in flight go together in the next one (<see cref="GroupCommit{TKey,TValue}"/>), so this
/// one grain does not serialise incident opening on database round trips.
/// Reentrant: writes for different incidents overlap; each incident's own changes arrive one after another.
/// </summary>
[Reentrant]
public sealed class IncidentDirectoryGrain(
    [PersistentState("incident-directory", StorageNames.Default)] IPersistentState<IncidentDirectoryState> legacy,
    IncidentDirectoryStore store,
    IOptions<IncidentOptions> options,
    TimeProvider clock) : Grain, IIncidentDirectoryGrain
{
    private readonly Dictionary<string, IncidentSummary> _current = new(StringComparer.Ordinal);
    private Dictionary<string, string> _unscopedReferences = new(StringComparer.Ordinal);
    // Closed incidents by the time they closed, so that a change evicts those past retention without scanning every
    // incident (thousands are current in a surge, and every opening and closing passes through here).
    private readonly PriorityQueue<string, DateTimeOffset> _closed = new();
    private readonly GroupCommit<string, IncidentSummary> _writes = new(store.UpsertAllAsync);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await MoveLegacyStateToRowsAsync();
        var cutoff = ClosedCutoff();
        foreach (var summary in await store.LoadCurrentAsync(cutoff)) Track(summary);
        _unscopedReferences = await store.LoadUnscopedReferencesAsync(cutoff);
    }

    public async Task<string> ClaimReferenceAsync(string agencyId, string externalReference, string newIncidentId) =>
        await store.ClaimReferenceAsync(agencyId, externalReference, await UnscopedHeldByAsync(agencyId, externalReference) ?? newIncidentId);

    // A reference claimed before references were scoped belongs to the agency that opened its incident, and to no other.
    private async Task<string?> UnscopedHeldByAsync(string agencyId, string externalReference) =>
        _unscopedReferences.TryGetValue(externalReference, out var claimedBefore)
        && (await GrainFactory.GetGrain<IIncidentGrain>(claimedBefore).GetAsync())?.OpenerAgencyId == agencyId
            ? claimedBefore
            : null;

    public async Task<string?> FindReferenceAsync(string agencyId, string externalReference) =>
        await UnscopedHeldByAsync(agencyId, externalReference) ?? await store.FindReferenceAsync(agencyId, externalReference);

    public async Task UpsertAsync(IncidentSummary summary)
    {
        await _writes.WriteAsync(summary.Id, summary);
        Track(summary);
        // The directory lists what is current; closed incidents leave it a while after closing (they stay readable by id, and audited).
        var cutoff = ClosedCutoff();
        while (_closed.TryPeek(out var id, out var closedAt) && closedAt < cutoff)
        {
            _closed.Dequeue();
            if (_current.TryGetValue(id, out var closed) && !IsListed(closed, cutoff)) _current.Remove(id);
        }
    }

    private void Track(IncidentSummary summary)
    {
        _current[summary.Id] = summary;
        if (summary.Status == IncidentStatus.Closed) _closed.Enqueue(summary.Id, summary.ClosedAt ?? summary.OpenedAt);
    }

    public ValueTask<IReadOnlyList<IncidentSummary>> ListAsync()
    {
        var cutoff = ClosedCutoff();
        return ValueTask.FromResult<IReadOnlyList<IncidentSummary>>(_current.Values.Where(i => IsListed(i, cutoff)).ToArray());
    }

    /// <summary>
    /// Open and closing incidents are listed; a closed one until <see cref="IncidentOptions.ClosedListRetention"/> after it
    /// closed, however long it was open (one closed before closing times were recorded goes by its opening).
    /// </summary>
    public static bool IsListed(IncidentSummary incident, DateTimeOffset closedCutoff) =>
        incident.Status != IncidentStatus.Closed || (incident.ClosedAt ?? incident.OpenedAt) >= closedCutoff;

    private DateTimeOffset ClosedCutoff() => clock.GetUtcNow() - options.Value.ClosedListRetention;

    private async Task MoveLegacyStateToRowsAsync()
    {
        if (legacy.State.Incidents.Count == 0 && legacy.State.IncidentByReference.Count == 0) return;
        foreach (var (reference, incidentId) in legacy.State.IncidentByReference)
            await store.RecordUnscopedReferenceAsync(reference, incidentId);
        await store.UpsertAllAsync(legacy.State.Incidents.Values.ToArray());
        await legacy.ClearStateAsync();
    }
}
