using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;
using SafetyNet.Tests.Video;

namespace SafetyNet.Tests.Masks;

/// <summary>
/// Issue 12's mask test over real HTTP, a real RTSP camera and real ffmpeg. The test camera shows a white ball on black;
/// the mask fills its polygon with opaque grey (#808080), so a masked pixel is ~128 where the camera's is near 0.
/// </summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class PrivacyMaskVideoTests(VideoNodeFixture fixture)
{
    /// <summary>A trapezoid over the lower right of the frame.</summary>
    private static readonly object Mask = new
    {
        polygons = new[] { new { points = new[] { new { x = 0.55, y = 0.5 }, new { x = 0.95, y = 0.5 }, new { x = 0.95, y = 0.95 }, new { x = 0.75, y = 0.95 } } } },
    };

    /// <summary>Well inside the trapezoid, and well outside it (the lower left, clear of the camera's clock in the top left).</summary>
    private static readonly (double X, double Y, double W, double H) Inside = (0.78, 0.6, 0.12, 0.25), Outside = (0.05, 0.55, 0.35, 0.4);

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_masked_camera_is_served_filled_to_viewers_and_unmasked_only_with_the_right_from_one_pull()
    {
        var platform = await Node.TokenAsync("safetynet-ops", "root", "platform-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, platform, "masked", "11020", 37.5641, 126.9971, fixture.Camera.Url("f"));
        var districtAdmin = await Node.TokenAsync("control-jung", "admin", "district-admin");
        using (var put = await Node.SendAsync(HttpMethod.Put, $"/api/v1/cameras/{camera}/masks", districtAdmin, JsonContent.Create(Mask)))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var (_, operatorToken) = await Node.SessionAsync("seoul-112", "mask-operator");
        var (_, supervisorToken) = await Node.SessionAsync("seoul-112", "mask-supervisor", "supervisor");

        // A viewer learns that the camera is masked, not where.
        var seen = await GetJsonAsync($"/api/v1/cameras/{camera}/masks", operatorToken);
        Assert.True(seen.GetProperty("masked").GetBoolean());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("polygons").ValueKind);

        // Unmasked without the right: refused with the reason, and the refusal is in the ledger.
        using (var missingReason = await LeaseAsync(operatorToken, camera, new { purpose = "monitoring", unmasked = true }))
            Assert.Contains("reason is required", await ProblemAssert.IsProblemAsync(missingReason, 400));
        using (var refused = await LeaseAsync(operatorToken, camera, new { purpose = "monitoring", unmasked = true, reason = "curious" }))
        {
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(403, (int)refused.StatusCode);
            Assert.Equal("unmasked-not-allowed", problem.GetProperty("reason").GetString());
            Assert.Contains("separate right", problem.GetProperty("detail").GetString());
        }
        var auditor = await Node.TokenAsync("seoul-audit", "mask-auditor", "auditor");
        var denials = await GetJsonAsync($"/api/v1/audit?camera={camera}&kind=access-decision&outcome=deny", auditor);
        Assert.Contains(denials.GetProperty("items").EnumerateArray(), r => r.GetProperty("entry").GetProperty("reason").GetString() == "unmasked-not-allowed");

        // A plain lease plays the masked rendition; a supervisor with a reason plays the original; one ffmpeg pulls for both.
        var masked = await VideoRequests.LeaseAsync(Node, operatorToken, camera, new { purpose = "monitoring" });
        Assert.False(masked.GetProperty("unmasked").GetBoolean());
        var unmasked = await VideoRequests.LeaseAsync(Node, supervisorToken, camera, new { purpose = "monitoring", unmasked = true, reason = "assault reported at the window" });
        Assert.True(unmasked.GetProperty("unmasked").GetBoolean());
        var maskedPlaylistUrl = masked.GetProperty("playlistUrl").GetString()!;
        var unmaskedPlaylistUrl = unmasked.GetProperty("playlistUrl").GetString()!;
        var maskedPlaylist = await VideoRequests.PlaylistAsync(Node, maskedPlaylistUrl);
        var unmaskedPlaylist = await VideoRequests.PlaylistAsync(Node, unmaskedPlaylistUrl);
        Assert.Contains("masked-seg-", maskedPlaylist);
        Assert.DoesNotContain("masked-seg-", unmaskedPlaylist);
        Assert.Single(fixture.RelayProcesses(camera));

        var maskedFrame = await FrameOfAsync(VideoRequests.LatestSegment(maskedPlaylistUrl, maskedPlaylist));
        var originalFrame = await FrameOfAsync(VideoRequests.LatestSegment(unmaskedPlaylistUrl, unmaskedPlaylist));
        AssertFilled(maskedFrame, Inside);
        AssertNotFilled(originalFrame, Inside);
        Assert.True(maskedFrame.MeanDifference(originalFrame, Px(maskedFrame.Width, Outside.X), Px(maskedFrame.Height, Outside.Y),
            Px(maskedFrame.Width, Outside.W), Px(maskedFrame.Height, Outside.H)) < 20, "outside the mask, the masked picture should be the camera's");

        // The masked lease's token never reaches the original: not its segments, not the masked playlist under another name.
        var originalSegment = VideoRequests.LatestSegment(unmaskedPlaylistUrl, unmaskedPlaylist);
        var maskedToken = masked.GetProperty("token").GetString()!;
        var withMaskedToken = $"{originalSegment[..originalSegment.IndexOf('?')]}?token={Uri.EscapeDataString(maskedToken)}";
        using (var stolen = await Node.Http.GetAsync(withMaskedToken)) Assert.Equal(404, (int)stolen.StatusCode);
        using (var direct = await Node.Http.GetAsync($"/media/{camera}/latest.jpg?token={Uri.EscapeDataString(maskedToken)}")) Assert.Equal(404, (int)direct.StatusCode);

        var views = await GetJsonAsync($"/api/v1/audit?camera={camera}&kind=unmasked-view", auditor);
        var view = Assert.Single(views.GetProperty("items").EnumerateArray()).GetProperty("entry");
        Assert.Equal("assault reported at the window", view.GetProperty("justification").GetString());
        Assert.Equal("unmasked-by-supervisor", view.GetProperty("reason").GetString());
        Assert.Equal("seoul-112/mask-supervisor", view.GetProperty("actor").GetString());

        // Snapshots honour the masks the same way.
        AssertFilled(await SnapshotAsync(operatorToken, camera, ""), Inside);
        AssertNotFilled(await SnapshotAsync(supervisorToken, camera, "&unmasked=true&reason=identify%20the%20attacker"), Inside);
        using (var refusedSnapshot = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/snapshot?purpose=monitoring&unmasked=true&reason=why", operatorToken))
            Assert.Equal(403, (int)refusedSnapshot.StatusCode);

        foreach (var (lease, token) in new[] { (masked, operatorToken), (unmasked, supervisorToken) })
            using (await Node.SendAsync(HttpMethod.Delete, $"/api/v1/leases/{lease.GetProperty("leaseId").GetString()}", token)) { }
    }

    private static int Px(int size, double fraction) => (int)(size * fraction);

    private static double MeanGrey(JpegPixels frame, (double X, double Y, double W, double H) region, out double spread)
    {
        var values = new List<int>();
        for (var y = Px(frame.Height, region.Y); y < Px(frame.Height, region.Y + region.H); y++)
        for (var x = Px(frame.Width, region.X); x < Px(frame.Width, region.X + region.W); x++)
            values.Add(frame.Grey[y * frame.Width + x]);
        var mean = values.Average();
        spread = values.Max(v => Math.Abs(v - mean));
        return mean;
    }

    private static void AssertFilled(JpegPixels frame, (double X, double Y, double W, double H) region)
    {
        var mean = MeanGrey(frame, region, out var spread);
        Assert.True(mean is > 115 and < 141 && spread < 20, $"the masked region should be flat grey; mean {mean:F1}, spread {spread:F1}");
    }

    private static void AssertNotFilled(JpegPixels frame, (double X, double Y, double W, double H) region)
    {
        var mean = MeanGrey(frame, region, out _);
        Assert.True(mean < 100, $"the unmasked region should show the camera's dark background; mean {mean:F1}");
    }

    private async Task<JpegPixels> SnapshotAsync(string token, string camera, string unmasked)
    {
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/snapshot?purpose=monitoring{unmasked}", token);
        var jpeg = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, System.Text.Encoding.UTF8.GetString(jpeg));
        return await JpegPixels.DecodeAsync(jpeg);
    }

    /// <summary>The segment's last frame, decoded by ffmpeg.</summary>
    private async Task<JpegPixels> FrameOfAsync(string segmentPath)
    {
        var segment = Path.Combine(Node.DataDirectory, $"mask-{Guid.NewGuid():N}.ts");
        var frame = Path.ChangeExtension(segment, ".jpg");
        await File.WriteAllBytesAsync(segment, await Node.Http.GetByteArrayAsync(segmentPath));
        try
        {
            using var ffmpeg = Process.Start("ffmpeg", ["-v", "error", "-i", segment, "-update", "1", "-q:v", "2", "-y", frame])!;
            await ffmpeg.WaitForExitAsync();
            Assert.Equal(0, ffmpeg.ExitCode);
            return await JpegPixels.DecodeAsync(await File.ReadAllBytesAsync(frame));
        }
        finally
        {
            File.Delete(segment);
            File.Delete(frame);
        }
    }

    private Task<HttpResponseMessage> LeaseAsync(string token, string camera, object body) =>
        Node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/leases", token, JsonContent.Create(body));

    private async Task<JsonElement> GetJsonAsync(string path, string token)
    {
        using var response = await Node.SendAsync(HttpMethod.Get, path, token);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json;
    }
}
