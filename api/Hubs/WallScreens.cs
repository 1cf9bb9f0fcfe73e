using System.Collections.Concurrent;

namespace SafetyNet.Api.Hubs;

/// <summary>
/// How many connections of this node watch each agency as a wall screen (<c>SubscribeIncidentCards</c>), so that the node
/// builds an agency's batches only while someone here receives them; every node hears every agency's events.
/// </summary>
public sealed class WallScreens
{
    private readonly ConcurrentDictionary<string, int> _watching = new(StringComparer.Ordinal);

    public bool AnyFor(string agencyId) => _watching.TryGetValue(agencyId, out var count) && count > 0;

    public void Joined(string agencyId) => _watching.AddOrUpdate(agencyId, 1, (_, count) => count + 1);

    public void Left(string agencyId) => _watching.AddOrUpdate(agencyId, 0, (_, count) => Math.Max(0, count - 1));
}
