using SafetyNet.Contracts.Context;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>
/// After a restart the context layers are read back in the background as the silo starts, so the first 119 or disaster
/// incident does not wait for the hydrant layer's tiles.
/// </summary>
public sealed class ContextLayerWarmUpTests
{
    [Fact]
    public async Task After_a_restart_every_context_layer_is_active_before_anyone_asks_for_one()
    {
        var first = await TestNode.StartAsync(cameras: 500);
        var data = first.DataDirectory;
        await first.DisposeAsync();
        var node = await TestNode.StartAsync(cameras: 500, dataDirectory: data);
        try
        {
            var type = node.Grains.GetGrain<IContextLayerGrain>(ContextLayers.Hydrants).GetGrainId().Type;
            var active = await Eventually.WaitAsync(async () => await node.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(type),
                ids => ids.Count == ContextLayers.Known.Count, TimeSpan.FromSeconds(30), "every context layer active");
            Assert.Equal(ContextLayers.Known.Order(), active.Select(id => id.Key.ToString()!).Order());
        }
        finally
        {
            await node.DisposeAsync();
            node.DeleteData();
        }
    }
}
