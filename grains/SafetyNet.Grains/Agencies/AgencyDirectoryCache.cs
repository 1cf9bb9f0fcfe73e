using System.Collections.Frozen;
using SafetyNet.Contracts.Agencies;

namespace SafetyNet.Grains.Agencies;

/// <summary>
/// This silo's copy of the agency directory, so that opening an incident does not call the directory's one activation
/// (a point every opening in the cluster would pass through). A copy is used for at most <see cref="Freshness"/>; a
/// registration made on this silo replaces it at once (<see cref="Remember"/>); an agency the caller names that the copy
/// lacks is read afresh before it is called unknown. An older version never replaces a newer one.
/// </summary>
public sealed class AgencyDirectoryCache(IGrainFactory grains, TimeProvider clock)
{
    /// <summary>How old a copy an opening may rely on: as for district policies, a change reaches every silo within this.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromMilliseconds(500);

    private Copy? _held;

    /// <summary>Every agency by id, at most <see cref="Freshness"/> old, and read afresh when it lacks any of <paramref name="named"/>.</summary>
    public async ValueTask<IReadOnlyDictionary<string, AgencyInfo>> GetAsync(IEnumerable<string>? named = null)
    {
        var held = Volatile.Read(ref _held);
        if (held is not null && clock.GetUtcNow() - held.ReadAt < Freshness && (named ?? []).All(held.ById.ContainsKey)) return held.ById;
        var readAt = clock.GetUtcNow();
        return Remember(await grains.GetGrain<IAgencyDirectoryGrain>(0).GetRosterAsync(), readAt);
    }

    /// <summary>Keeps <paramref name="roster"/> unless the same or a newer version is held; returns the agencies held afterwards.</summary>
    public IReadOnlyDictionary<string, AgencyInfo> Remember(AgencyRoster roster, DateTimeOffset readAt)
    {
        while (true)
        {
            var held = Volatile.Read(ref _held);
            var next = held is not null && held.Version >= roster.Version
                ? held with { ReadAt = readAt }
                : new Copy(roster.Version, roster.Agencies.ToFrozenDictionary(a => a.Id, StringComparer.Ordinal), readAt);
            if (Interlocked.CompareExchange(ref _held, next, held) == held) return next.ById;
        }
    }

    private sealed record Copy(long Version, FrozenDictionary<string, AgencyInfo> ById, DateTimeOffset ReadAt);
}
