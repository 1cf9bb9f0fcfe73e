using SafetyNet.Contracts.Media;
using SafetyNet.Grains.Media.Live;

namespace SafetyNet.Tests.Media.Live;

/// <summary>The GOP cache and the fan-out to bounded viewer queues, on chunks built here (the feed never looks inside them).</summary>
public sealed class LiveFeedTests
{
    private static readonly LiveChunk Init = LiveChunk.Init(new byte[100], "avc1.42c01e");

    private static LiveChunk Key(int size = 1_000) => LiveChunk.Fragment(new byte[size], keyframe: true);

    private static LiveChunk Delta(int size = 1_000) => LiveChunk.Fragment(new byte[size], keyframe: false);

    [Fact]
    public void The_cache_holds_the_init_segment_and_the_fragments_since_the_newest_keyframe()
    {
        var cache = new GopCache(maxBytes: 10_000);
        var newest = Key();
        foreach (var chunk in (LiveChunk[])[Delta(), Init, Delta(), Key(), Delta(), newest, Delta(), Delta()]) cache.Add(chunk);

        Assert.Same(Init, cache.Init);
        Assert.Equal(3, cache.Fragments.Count);
        Assert.Same(newest, cache.Fragments[0]);
        Assert.Equal(3_000, cache.Bytes);
    }

    [Fact]
    public void A_group_of_pictures_past_the_bound_is_dropped_until_the_next_keyframe()
    {
        var cache = new GopCache(maxBytes: 2_500);
        foreach (var chunk in (LiveChunk[])[Init, Key(), Delta(), Delta()]) cache.Add(chunk);
        Assert.Empty(cache.Fragments);

        cache.Add(Delta());
        Assert.Empty(cache.Fragments);
        cache.Add(Key());
        Assert.Single(cache.Fragments);
    }

    [Fact]
    public async Task A_new_viewer_gets_the_init_segment_and_the_cached_group_of_pictures_then_what_follows()
    {
        var feed = new LiveFeed(gopCacheBytes: 10_000, viewerQueueBytes: 20_000);
        var (key, delta, next) = (Key(), Delta(), Delta());
        foreach (var chunk in (LiveChunk[])[Init, Key(), Delta(), key, delta]) feed.Publish(chunk);

        using var viewer = feed.Watch();
        feed.Publish(next);

        Assert.Equal([Init, key, delta, next], await ReadAsync(viewer, 4));
        Assert.Equal(2, viewer.Backlog);
    }

    [Fact]
    public async Task A_viewer_that_comes_before_the_first_keyframe_starts_at_it()
    {
        var feed = new LiveFeed(gopCacheBytes: 10_000, viewerQueueBytes: 20_000);
        using var viewer = feed.Watch();
        var key = Key();
        foreach (var chunk in (LiveChunk[])[Init, Delta(), key]) feed.Publish(chunk);

        Assert.Equal([Init, key], await ReadAsync(viewer, 2));
        Assert.Equal(0, viewer.Backlog);
    }

    [Fact]
    public async Task A_slow_viewer_never_holds_more_than_its_bound_and_skips_to_the_next_keyframe()
    {
        var feed = new LiveFeed(gopCacheBytes: 3_000, viewerQueueBytes: 3_000);
        feed.Publish(Init);
        feed.Publish(Key());
        var viewer = (LiveViewer)feed.Watch();
        for (var i = 0; i < 100; i++)
        {
            feed.Publish(Delta());
            Assert.InRange(viewer.QueuedBytes, 0, 3_000);
        }
        var fresh = Key();
        feed.Publish(fresh);

        Assert.Equal(1, viewer.Skips);
        Assert.Equal([Init, fresh], await ReadAsync(viewer, 2));
        viewer.Dispose();
        Assert.Equal(0, feed.ViewerCount);
    }

    [Fact]
    public async Task A_restart_ends_playing_viewers_and_a_stop_ends_all()
    {
        var feed = new LiveFeed(gopCacheBytes: 10_000, viewerQueueBytes: 20_000);
        foreach (var chunk in (LiveChunk[])[Init, Key()]) feed.Publish(chunk);
        using var playing = feed.Watch();

        feed.Restart();
        await ReadAsync(playing, 2);
        Assert.Null(await playing.ReadAsync(CancellationToken.None));
        Assert.Equal(LiveEndReasons.RelayRestarted, playing.EndReason);

        using var waiting = feed.Watch();
        feed.End();
        Assert.Null(await waiting.ReadAsync(CancellationToken.None));
        Assert.Equal(LiveEndReasons.RelayStopped, waiting.EndReason);
        Assert.Null(await feed.NewestKeyframeAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task The_newest_keyframe_is_what_a_snapshot_decodes()
    {
        var feed = new LiveFeed(gopCacheBytes: 10_000, viewerQueueBytes: 20_000);
        var waiting = feed.NewestKeyframeAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        var key = Key();
        foreach (var chunk in (LiveChunk[])[Init, Delta(), key, Delta()]) feed.Publish(chunk);

        Assert.Equal((Init, key), await waiting);
    }

    private static async Task<List<LiveChunk>> ReadAsync(ILiveView viewer, int count)
    {
        var chunks = new List<LiveChunk>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        for (var i = 0; i < count; i++) chunks.Add(await viewer.ReadAsync(timeout.Token) ?? throw new Xunit.Sdk.XunitException($"ended after {i} chunks"));
        return chunks;
    }
}
