using System.Collections.Concurrent;

namespace SafetyNet.Api.Hubs;

/// <summary>Agencies whose incidents some dashboard of this node has subscribed to: their sequencers are asked for heartbeats.</summary>
public sealed class SubscribedAgencies
{
    private readonly ConcurrentDictionary<string, byte> _agencies = new(StringComparer.Ordinal);

    public void Add(string agencyId) => _agencies.TryAdd(agencyId, 0);

    public IReadOnlyCollection<string> All => (IReadOnlyCollection<string>)_agencies.Keys;
}
