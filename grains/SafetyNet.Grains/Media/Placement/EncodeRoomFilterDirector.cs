using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace SafetyNet.Grains.Media.Placement;

/// <summary>
/// Narrows a new camera activation's candidate silos to those the <see cref="EncodeRoomBoard"/> does not know to be too busy
/// to encode. Orleans' resource-optimised placement, which chooses among them, counts the silo process's CPU and not its
/// ffmpeg children, so a node full of encodes looks idle to it. With no silo left, all stay candidates. A placement hint
/// (a camera moving to a silo it has just asked) stays a candidate, whatever the board last heard.
/// </summary>
public sealed class EncodeRoomFilterDirector(EncodeRoomBoard board) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var candidates = silos as IReadOnlyCollection<SiloAddress> ?? silos.ToList();
        var hint = target.RequestContextData?.GetValueOrDefault(IPlacementDirector.PlacementHintKey) as SiloAddress;
        var roomy = candidates.Where(silo => silo.Equals(hint) || board.MayHaveRoom(silo)).ToList();
        return roomy.Count == 0 ? candidates : roomy;
    }
}
