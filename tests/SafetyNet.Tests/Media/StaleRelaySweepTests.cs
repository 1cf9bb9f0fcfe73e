using System.Diagnostics;
using SafetyNet.Grains.Media;

namespace SafetyNet.Tests.Media;

[Collection(MediaCollection.Name)]
[Trait("Category", "Slow")]
public sealed class StaleRelaySweepTests
{
    [Fact]
    public async Task Starting_sweeps_this_nodes_orphaned_ffmpeg_and_spares_another_nodes()
    {
        var nodeTag = $"sweep-{Guid.NewGuid():N}"[..16];
        var otherNodeTag = $"other-{Guid.NewGuid():N}"[..16];
        using var orphan = StartTaggedFfmpeg(TaggedProcesses.RelayTag(nodeTag, "cam-orphan"));
        using var neighbour = StartTaggedFfmpeg(TaggedProcesses.RelayTag(otherNodeTag, "cam-neighbour"));
        try
        {
            Assert.Single(TaggedProcesses.FindForNode(nodeTag));

            await using var media = await RelayHostHarness.StartAsync(nodeTag: nodeTag);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await orphan.WaitForExitAsync(timeout.Token);
            Assert.Empty(TaggedProcesses.FindForNode(nodeTag));
            Assert.False(neighbour.HasExited);
        }
        finally
        {
            if (!neighbour.HasExited) neighbour.Kill();
            if (!orphan.HasExited) orphan.Kill();
        }
    }

    /// <summary>What a crashed node leaves behind: an ffmpeg carrying the node's tag that nobody will stop.</summary>
    private static Process StartTaggedFfmpeg(string tag)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=5", "-f", "null", "-metadata", $"comment={tag}", "-"])
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }
}
