using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Video;

/// <summary>Issue 11: a snapshot over HTTP names its camera, capture time and viewer, in the picture and in the headers.</summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SnapshotEvidenceTests(VideoNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Snapshots_of_two_cameras_of_the_same_scene_differ_by_their_burnt_in_evidence_which_the_headers_repeat()
    {
        var admin = await Node.TokenAsync("safetynet-ops", "root", "platform-admin");
        // Both cameras watch one RTSP path: the same scene, so only the evidence tells their pictures apart.
        var first = await VideoRequests.RegisterCameraAsync(Node, admin, "evidence-1", "11040", 37.5500, 127.0400, fixture.Camera.Url("e"));
        var second = await VideoRequests.RegisterCameraAsync(Node, admin, "evidence-2", "11040", 37.5502, 127.0402, fixture.Camera.Url("e"));
        var (_, police) = await Node.SessionAsync("seoul-112", "evidence-viewer");

        var before = DateTimeOffset.UtcNow;
        var (firstJpeg, firstHeaders) = await SnapshotAsync(first, police);
        var (secondJpeg, secondHeaders) = await SnapshotAsync(second, police);
        var (againJpeg, againHeaders) = await SnapshotAsync(first, police);

        Assert.Equal(first, firstHeaders.Camera);
        Assert.Equal(second, secondHeaders.Camera);
        Assert.Equal("seoul-112/evidence-viewer", firstHeaders.Viewer);
        Assert.All([firstHeaders, secondHeaders, againHeaders], h =>
        {
            var at = DateTimeOffset.Parse(h.CapturedAt, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.FromHours(9), at.Offset);
            Assert.InRange(at, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        });
        Assert.NotEqual(firstHeaders.CapturedAt, againHeaders.CapturedAt);
        Assert.NotEqual(firstJpeg, secondJpeg);
        Assert.NotEqual(firstJpeg, againJpeg);

        // Same scene, same moment give or take a frame: the caption corner must tell the cameras apart.
        var pixels = await JpegPixels.DecodeAsync(firstJpeg);
        var other = await JpegPixels.DecodeAsync(secondJpeg);
        Assert.True(pixels.MeanDifference(other, 0, 0, pixels.Width / 2, pixels.Height / 4) > 0.05, "the two cameras' caption regions are the same");
    }

    private async Task<(byte[] Jpeg, (string Camera, string CapturedAt, string Viewer) Headers)> SnapshotAsync(string camera, string token)
    {
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/snapshot?purpose=monitoring", token);
        var jpeg = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(jpeg)}");
        RelayHostHarness.AssertJpeg(jpeg);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        string Header(string name) => Assert.Single(response.Headers.GetValues(name));
        return (jpeg, (Header("X-SafetyNet-Camera"), Header("X-SafetyNet-Captured-At"), Header("X-SafetyNet-Viewer")));
    }
}
