using System.Diagnostics;
using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Observability;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Media;

/// <summary>
/// A running relay follows a step of the node's wall clock: real ffmpeg goes on stamping from its own start, and the node
/// serves what is recorded after the step with stamps by the new clock. A run started afterwards reads the new clock itself.
/// </summary>
[Collection(MediaCollection.Name)]
[Trait("Category", "Slow")]
public sealed class RelayClockStepTests
{
    private const string Camera = "cam-clock-step";
    private static readonly TimeSpan Forward = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task What_is_recorded_after_a_step_is_served_stamped_by_the_new_clock_and_a_new_run_starts_afresh()
    {
        await using var media = await RelayHostHarness.StartAsync();
        var playlistFile = await media.StartAndWaitAsync(Camera, RelayHostHarness.Lavfi);
        var step = new ClockStep(Forward, DateTimeOffset.UtcNow, TimeProvider.System.GetTimestamp());

        media.Host.Follow(step);
        await Eventually.WaitAsync(() => Task.FromResult(Written()), w => w?.Segments[^1].StartsAt > step.ReadBefore + TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(15), "a segment ffmpeg stamped after the step");

        var served = Window();
        var written = Written()!.Segments.ToDictionary(s => s.Name);
        var compared = served.Segments.Where(s => written.ContainsKey(s.Name)).ToList();
        Assert.Contains(compared, s => written[s.Name].StartsAt < step.ReadBefore);
        Assert.Contains(compared, s => written[s.Name].StartsAt >= step.ReadBefore);
        foreach (var segment in compared)
        {
            var stamped = written[segment.Name].StartsAt!.Value;
            Assert.Equal(stamped >= step.ReadBefore ? stamped + Forward : stamped, segment.StartsAt);
        }
        Assert.DoesNotContain("Z\n", File.ReadAllText(playlistFile)); // the file stays as ffmpeg wrote it

        // ffmpeg dies and the relay starts it again: the new run read the clock at its start, so nothing of it moves, even if
        // the same step were told again.
        var firstRun = served.Segments[0].Name;
        foreach (var pid in media.RelayProcesses(Camera)) Process.GetProcessById(pid).Kill();
        await Eventually.WaitAsync(() => Task.FromResult(Written()), w => w is { Segments.Count: > 1 } && w.Segments[0].Name != firstRun,
            TimeSpan.FromSeconds(20), "the playlist of the relay's next run");
        media.Host.Follow(step);
        var rerun = Window();
        var rewritten = Written()!.Segments.ToDictionary(s => s.Name);
        Assert.All(rerun.Segments.Where(s => rewritten.ContainsKey(s.Name)), s => Assert.Equal(rewritten[s.Name].StartsAt, s.StartsAt));

        HlsPlaylist Window() => media.Host.ReadPlaylist(Camera, MediaRendition.Original, window: true) ?? throw new InvalidOperationException("no window");

        HlsPlaylist? Written()
        {
            try
            {
                return File.Exists(playlistFile) ? HlsPlaylist.Parse(File.ReadAllText(playlistFile)) : null;
            }
            catch (IOException)
            {
                return null; // ffmpeg replaced it this instant
            }
        }
    }
}
