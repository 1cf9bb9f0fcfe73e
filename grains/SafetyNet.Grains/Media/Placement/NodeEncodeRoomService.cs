using Microsoft.Extensions.Logging;
using Orleans.Runtime.Services;
using Orleans.Services;

namespace SafetyNet.Grains.Media.Placement;

/// <summary>One per silo: how much room for an encode this node's relays have, asked by a busy node's camera before it moves.</summary>
public interface INodeEncodeRoomService : IGrainService
{
    [Alias("encode-room")]
    Task<EncodeRoom> GetAsync();
}

public sealed class NodeEncodeRoomService(GrainId id, Silo silo, ILoggerFactory loggers, RelayHost relays) : GrainService(id, silo, loggers), INodeEncodeRoomService
{
    public Task<EncodeRoom> GetAsync() => Task.FromResult(relays.EncodeRoom);
}

/// <summary>Asks another silo's <see cref="INodeEncodeRoomService"/>.</summary>
public interface INodeEncodeRoom
{
    Task<EncodeRoom> OfAsync(SiloAddress silo);
}

public sealed class NodeEncodeRoomClient(IServiceProvider services) : GrainServiceClient<INodeEncodeRoomService>(services), INodeEncodeRoom
{
    public Task<EncodeRoom> OfAsync(SiloAddress silo) => GetGrainService(silo).GetAsync();
}
