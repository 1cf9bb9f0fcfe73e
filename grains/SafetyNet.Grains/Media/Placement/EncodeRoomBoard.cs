using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using SafetyNet.Grains.Observability;
using SafetyNet.Grains.Platform;

namespace SafetyNet.Grains.Media.Placement;

/// <summary>
/// What each active silo last said about its room for one more encode (<see cref="INodeEncodeRoomService"/>), this one's
/// included. Read by <see cref="EncodeRoomFilterDirector"/> at every camera activation, so it is a snapshot refreshed in
/// the background (<see cref="EncodeRoomRefresher"/>), never a call; a camera about to move asks afresh through it.
/// </summary>
public sealed class EncodeRoomBoard
{
    /// <summary>A silo that has not answered by then is passed over: the asker must not wait on a silo that is failing.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(1);

    private readonly LocalSiloStatus _localSilo;
    private readonly ILocalSiloDetails _local;
    private readonly INodeEncodeRoom _rooms;
    private readonly RelayHost _relays;
    private readonly ILogger<EncodeRoomBoard> _logger;
    private ImmutableDictionary<SiloAddress, EncodeRoom> _known = ImmutableDictionary<SiloAddress, EncodeRoom>.Empty;
    private ImmutableHashSet<SiloAddress> _silent = [];

    public EncodeRoomBoard(LocalSiloStatus localSilo, ILocalSiloDetails local, INodeEncodeRoom rooms, RelayHost relays, SafetyNetMetrics metrics, ILogger<EncodeRoomBoard> logger)
    {
        (_localSilo, _local, _rooms, _relays, _logger) = (localSilo, local, rooms, relays, logger);
        metrics.ObservePlacementRoom(() => _known.IsEmpty ? null : (_known.Values.Count(r => r.HasRoom), _known.Values.Count(r => !r.HasRoom)));
    }

    /// <summary>False only for a silo that said it would refuse an encode; a silo not heard from yet may have room.</summary>
    public bool MayHaveRoom(SiloAddress silo) => !_known.TryGetValue(silo, out var room) || room.HasRoom;

    /// <summary>What the other active silos say now; a silo that failed to answer in time has null.</summary>
    public async Task<IReadOnlyList<(SiloAddress Silo, EncodeRoom? Room)>> AskOthersAsync()
    {
        var answers = await Task.WhenAll(_localSilo.OtherActiveSilos.Select(async silo =>
        {
            try
            {
                var room = await _rooms.OfAsync(silo).WaitAsync(AskTimeout);
                ImmutableInterlocked.Update(ref _silent, silent => silent.Remove(silo));
                return (Silo: silo, Room: (EncodeRoom?)room);
            }
            catch (Exception e)
            {
                // Asked every 2 s: said once until the silo answers again.
                if (ImmutableInterlocked.Update(ref _silent, silent => silent.Add(silo)))
                    _logger.LogInformation("Silo {Silo} did not say whether it has room for one more encode: {Error}", silo, e.Message);
                return (Silo: silo, Room: null);
            }
        }));
        foreach (var (silo, room) in answers)
            ImmutableInterlocked.Update(ref _known, all => room is null ? all.Remove(silo) : all.SetItem(silo, room));
        return answers;
    }

    /// <summary>Asks every other active silo and this one, and forgets silos that are no longer active. Alone, there is nothing to choose.</summary>
    public async Task RefreshAsync()
    {
        if (!_localSilo.AnotherSiloActive)
        {
            _known = ImmutableDictionary<SiloAddress, EncodeRoom>.Empty;
            return;
        }
        var answers = await AskOthersAsync();
        var builder = ImmutableDictionary.CreateBuilder<SiloAddress, EncodeRoom>();
        foreach (var (silo, room) in answers)
            if (room is not null) builder[silo] = room;
        builder[_local.SiloAddress] = _relays.EncodeRoom;
        _known = builder.ToImmutable();
    }
}
