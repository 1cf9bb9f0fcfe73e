using SafetyNet.Contracts.Notifications;

namespace SafetyNet.Bench.Incidents.WallScreens;

/// <summary>One event of a wall screen's batch, read only as far as the bench needs: an incident card's id and external reference, and every event's sequence.</summary>
public sealed record WallScreenEvent(string Name, string? Id, string? ExternalReference, EventSequence? Sequence);

/// <summary>What a wall screen's connection reports: each event of a batch, stamped with the moment its batch arrived.</summary>
public interface IWallScreenListener
{
    void OnEvent(WallScreenEvent e, long arrivedAt);

    void OnClosed();
}
