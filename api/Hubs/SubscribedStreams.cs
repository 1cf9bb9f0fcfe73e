using System.Collections.Concurrent;

namespace SafetyNet.Api.Hubs;

/// <summary>Event streams some dashboard of this node has subscribed to: their sequencers are asked for heartbeats.</summary>
public sealed class SubscribedStreams
{
    private readonly ConcurrentDictionary<string, byte> _streams = new(StringComparer.Ordinal);

    public void Add(string stream) => _streams.TryAdd(stream, 0);

    public IReadOnlyCollection<string> All => (IReadOnlyCollection<string>)_streams.Keys;
}
