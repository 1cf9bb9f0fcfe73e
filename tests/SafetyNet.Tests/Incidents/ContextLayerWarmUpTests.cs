using System.Net;
using SafetyNet.Contracts.Context;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>
/// After a restart the context layers are read back in the background as the silo starts, so the first 119 or disaster
/// incident does not wait for the hydrant layer's tiles; the node is not ready until they are, and is ready but degraded
/// when they could not be read.
/// </summary>
public sealed class ContextLayerWarmUpTests
{
    [Fact]
    public async Task After_a_restart_the_node_is_ready_once_every_context_layer_is_read_back()
    {
        // The hydrants' tiles are held as they are read back: the silo is active and its cameras indexed, but it is not ready.
        var (node, hold) = await RestartWithHydrantReadsHeldAsync();
        try
        {
            var readiness = await node.ReadinessAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.Code);
            Assert.Equal("loading", readiness.Data.GetProperty("contextLayers").GetString());
            Assert.Equal("The context layers are still being read back.", readiness.Description);
            Assert.Equal(500, readiness.Data.GetProperty("cameras").GetInt32());

            hold.Dispose();
            var ready = await Eventually.WaitAsync(node.ReadinessAsync, r => r.Code == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the node ready");
            Assert.Equal("loaded", ready.Data.GetProperty("contextLayers").GetString());
            Assert.Equal("Healthy", ready.Report);

            // Every layer is in memory before anyone asked for one.
            var type = node.Grains.GetGrain<IContextLayerGrain>(ContextLayers.Hydrants).GetGrainId().Type;
            var active = await node.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(type);
            Assert.Equal(ContextLayers.Known.Order(), active.Select(id => id.Key.ToString()!).Order());
        }
        finally
        {
            hold.Dispose();
            await node.DisposeAsync();
            node.DeleteData();
        }
    }

    [Fact]
    public async Task A_layer_that_fails_to_read_back_leaves_the_node_ready_but_degraded_and_is_read_again_by_its_first_query()
    {
        var (node, hold) = await RestartWithHydrantReadsHeldAsync();
        try
        {
            hold.Fail(new IOException("disk read error"));
            var degraded = await Eventually.WaitAsync(node.ReadinessAsync, r => r.Code == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the node ready");
            Assert.Equal("Degraded", degraded.Report);
            Assert.Equal("failed", degraded.Data.GetProperty("contextLayers").GetString());
            Assert.Contains("reading the context layers back at start failed", degraded.Description);

            hold.Dispose();
            var hydrants = await node.Grains.GetGrain<IContextLayerGrain>(ContextLayers.Hydrants).NearbyAsync(new GeoPoint(37.5665, 126.9780), 3000, 10);
            Assert.NotEmpty(hydrants);
        }
        finally
        {
            hold.Dispose();
            await node.DisposeAsync();
            node.DeleteData();
        }
    }

    /// <summary>
    /// A node that seeded the demo city (its sample context layers included), stopped, and started again on the same data
    /// with the reads of the hydrants' tiles held; returned once the hydrant layer is waiting for its first tile.
    /// </summary>
    private static async Task<(TestNode Node, StorageHold Hold)> RestartWithHydrantReadsHeldAsync()
    {
        var first = await TestNode.StartAsync(cameras: 500);
        await first.DisposeAsync();
        var tiles = new StorageHolds();
        var hold = tiles.Hold(StorageCall.Read, record => record.Key.ToString().StartsWith($"{ContextLayers.Hydrants}/", StringComparison.Ordinal));
        var node = await TestNode.StartAsync(cameras: 500, dataDirectory: first.DataDirectory,
            decorate: services => HoldableGrainStorage.Wrap(services, StorageNames.ContextTiles, tiles));
        try
        {
            await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60));
            return (node, hold);
        }
        catch
        {
            hold.Dispose();
            await node.DisposeAsync();
            node.DeleteData();
            throw;
        }
    }

}
