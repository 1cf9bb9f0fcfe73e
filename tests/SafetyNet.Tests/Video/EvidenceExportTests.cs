using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Tests.Evidence;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Video;

/// <summary>
/// Issue 12's evidence test on a real node, RTSP camera and ffmpeg: a clip and a snapshot export verify through the API,
/// with our offline command and with the docs' openssl recipe; a flipped byte or an edited manifest fails all three; an
/// operator who is not watching the camera is refused, in the ledger.
/// </summary>
[Collection(VideoNodeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class EvidenceExportTests(VideoNodeFixture fixture) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("evidence-test-").FullName;

    private TestNode Node => fixture.Node;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task A_clip_export_verifies_and_a_flipped_byte_or_an_edited_manifest_fails_offline_and_through_the_API()
    {
        var (camera, incident, operatorToken) = await WatchedCameraAsync("d", "11050", 37.5438, 127.0888);
        var export = await ExportAsync(camera, operatorToken, new { kind = "clip", seconds = 4, incidentId = incident, purpose = "emergency-response", justification = "assault on camera" });
        var manifest = export.GetProperty("manifest");
        Assert.Equal("clip", manifest.GetProperty("kind").GetString());
        Assert.Equal(camera, manifest.GetProperty("cameraId").GetString());
        Assert.Equal("11050", manifest.GetProperty("districtCode").GetString());
        Assert.Equal(incident, manifest.GetProperty("incidentId").GetString());
        Assert.Equal("seoul-112", manifest.GetProperty("exporter").GetProperty("agencyId").GetString());
        Assert.Empty(manifest.GetProperty("masksApplied").EnumerateArray());
        var length = manifest.GetProperty("to").GetDateTimeOffset() - manifest.GetProperty("from").GetDateTimeOffset();
        Assert.InRange(length.TotalSeconds, 0.5, 4.1);

        var bundle = await DownloadBundleAsync(export, operatorToken);
        Assert.Equal("h264", await ProbeAsync(Path.Combine(bundle, "clip.mp4")));
        await AssertVerdictEverywhereAsync(bundle, operatorToken, valid: true);
        await AssertLedgeredAsync(export, camera, incident, operatorToken);

        await AssertVerdictEverywhereAsync(Tampered(bundle, "clip.mp4", FlipOneByte), operatorToken, valid: false, failing: "file:clip.mp4");
        await AssertVerdictEverywhereAsync(Tampered(bundle, "manifest.json", EditIncident), operatorToken, valid: false, failing: "signature");
    }

    [Fact]
    public async Task A_snapshot_export_verifies_and_tampering_with_it_fails()
    {
        var (camera, incident, operatorToken) = await WatchedCameraAsync("e", "11060", 37.5792, 127.0574);
        var export = await ExportAsync(camera, operatorToken, new { kind = "snapshot", incidentId = incident, purpose = "emergency-response", justification = "suspect's face" });
        Assert.Equal("snapshot", export.GetProperty("manifest").GetProperty("kind").GetString());

        var bundle = await DownloadBundleAsync(export, operatorToken);
        RelayHostHarness.AssertJpeg(await File.ReadAllBytesAsync(Path.Combine(bundle, "snapshot.jpg")));
        await AssertVerdictEverywhereAsync(bundle, operatorToken, valid: true);
        await AssertVerdictEverywhereAsync(Tampered(bundle, "snapshot.jpg", FlipOneByte), operatorToken, valid: false, failing: "file:snapshot.jpg");
        await AssertVerdictEverywhereAsync(Tampered(bundle, "manifest.json", EditIncident), operatorToken, valid: false, failing: "signature");
    }

    [Fact]
    public async Task Only_the_exporters_agency_and_the_districts_auditors_read_an_export_and_an_operator_not_watching_is_refused_in_the_ledger()
    {
        var (camera, incident, operatorToken) = await WatchedCameraAsync("f", "11070", 37.5952, 127.0951);
        var export = await ExportAsync(camera, operatorToken, new { kind = "snapshot", incidentId = incident, purpose = "emergency-response", justification = "reader check" });
        var manifestUrl = export.GetProperty("manifestUrl").GetString()!;

        var cityAuditor = await Node.TokenAsync("seoul-audit", "auditor", "auditor");
        var districtAuditor = await Node.TokenAsync("control-jungnang", "officer", "auditor");
        var otherAuditor = await Node.TokenAsync("control-jung", "officer", "auditor");
        var otherPolice = await Node.TokenAsync("police-gangnam", "someone", "operator");
        foreach (var (token, allowed) in new[] { (cityAuditor, true), (districtAuditor, true), (otherAuditor, false), (otherPolice, false) })
        {
            using var response = await Node.SendAsync(HttpMethod.Get, $"{manifestUrl}/files/snapshot.jpg", token);
            Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.NotFound, response.StatusCode);
        }

        var (_, bystander) = await Node.SessionAsync("seoul-112", $"bystander-{Guid.NewGuid():N}"[..20]);
        using var refused = await Node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/evidence", bystander,
            JsonContent.Create(new { kind = "snapshot", incidentId = incident, purpose = "emergency-response", justification = "not watching" }));
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("evidence-needs-lease", problem.GetProperty("reason").GetString());
        var denials = await Node.Grains.GetGrain<IAuditGrain>(0).QueryAsync(new AuditQuery(camera, null, null, null, null, null, 1, 50, AuditKinds.EvidenceExport, "deny"));
        var denial = Assert.Single(denials.Items);
        Assert.Equal("evidence-needs-lease", denial.Entry.Reason);
        Assert.Equal("not watching", denial.Entry.Justification);
    }

    /// <summary>
    /// A camera on the test camera's <paramref name="path"/>, an incident at it, and a seoul-112 operator session watching it.
    /// Each test takes its own district, so the district uplink cap of the shared node never refuses the next test's relay.
    /// </summary>
    private async Task<(string Camera, string Incident, string OperatorToken)> WatchedCameraAsync(string path, string district, double lat, double lon)
    {
        var admin = await Node.TokenAsync("safetynet-ops", "root", "platform-admin");
        var camera = await VideoRequests.RegisterCameraAsync(Node, admin, "evid", district, lat, lon, fixture.Camera.Url(path));
        var incidentId = await VideoRequests.OpenIncidentAsync(Node, lat, lon);
        var (_, token) = await Node.SessionAsync("seoul-112", $"exporter-{Guid.NewGuid():N}"[..20]);
        var lease = await VideoRequests.LeaseAsync(Node, token, camera, new { purpose = "emergency-response", incidentId });
        await Eventually.WaitAsync(() => VideoRequests.PlaylistAsync(Node, lease.GetProperty("playlistUrl").GetString()!),
            text => text.Split(".ts").Length > 3, TimeSpan.FromSeconds(20), "the live window to hold a few segments");
        return (camera, incidentId, token);
    }

    private async Task<JsonElement> ExportAsync(string camera, string token, object body)
    {
        using var response = await Node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/evidence", token, JsonContent.Create(body));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return json;
    }

    private async Task<string> DownloadBundleAsync(JsonElement export, string token)
    {
        using var response = await Node.SendAsync(HttpMethod.Get, export.GetProperty("bundleUrl").GetString()!, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var folder = Path.Combine(_scratch, export.GetProperty("exportId").GetString()!);
        ZipFile.ExtractToDirectory(await response.Content.ReadAsStreamAsync(), folder);
        Assert.Equal(new[] { "manifest.json", "manifest.sig", export.GetProperty("manifest").GetProperty("files")[0].GetProperty("name").GetString()! }.Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
        return folder;
    }

    /// <summary>The same verdict from the verify endpoint, the offline command and the openssl + sha256sum recipe.</summary>
    private async Task AssertVerdictEverywhereAsync(string bundle, string token, bool valid, string? failing = null)
    {
        var key = Path.Combine(_scratch, "evidence-key.pem");
        using (var keys = await Node.SendAsync(HttpMethod.Get, "/api/v1/evidence/keys", token))
            await File.WriteAllTextAsync(key, (await keys.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("pem").GetString());

        var zip = Path.Combine(_scratch, $"{Guid.NewGuid():N}.zip");
        ZipFile.CreateFromDirectory(bundle, zip);
        using var verify = await Node.SendAsync(HttpMethod.Post, "/api/v1/evidence/verify", token,
            new ByteArrayContent(await File.ReadAllBytesAsync(zip)) { Headers = { ContentType = new("application/zip") } });
        var verdict = await verify.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(verify.StatusCode == HttpStatusCode.OK, verdict.ToString());
        Assert.True(verdict.GetProperty("valid").GetBoolean() == valid, verdict.ToString());
        if (failing is not null) Assert.StartsWith(failing, verdict.GetProperty("failure").GetString());

        var (exitCode, output) = await EvidenceCommands.OfflineVerifyAsync(zip, key);
        Assert.True(exitCode == (valid ? 0 : 1), $"evidence-verify exited {exitCode}: {output}");
        if (failing is not null) Assert.Contains($"\"failure\": \"{failing}", output);

        var (recipeExit, recipeOutput) = await EvidenceCommands.RecipeAsync(bundle, key);
        Assert.True(valid == (recipeExit == 0), $"the docs' recipe exited {recipeExit}: {recipeOutput}");
    }

    private async Task AssertLedgeredAsync(JsonElement export, string camera, string incident, string token)
    {
        using var stored = await Node.SendAsync(HttpMethod.Get, export.GetProperty("manifestUrl").GetString()!, token);
        var manifestBytes = await stored.Content.ReadAsByteArrayAsync();
        var page = await Node.Grains.GetGrain<IAuditGrain>(0).QueryAsync(new AuditQuery(camera, null, null, null, null, null, 1, 50, AuditKinds.EvidenceExport, "allow"));
        var entry = Assert.Single(page.Items).Entry;
        Assert.Equal(incident, entry.IncidentId);
        Assert.Equal("11050", entry.DistrictCode);
        Assert.Equal("emergency-response", entry.Purpose);
        Assert.Equal("assault on camera", entry.Justification);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(manifestBytes)), entry.Details);
    }

    private string Tampered(string bundle, string file, Func<byte[], byte[]> change)
    {
        var copy = Path.Combine(_scratch, $"tampered-{Guid.NewGuid():N}");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.EnumerateFiles(bundle)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        File.WriteAllBytes(Path.Combine(copy, file), change(File.ReadAllBytes(Path.Combine(copy, file))));
        return copy;
    }

    private static byte[] FlipOneByte(byte[] bytes)
    {
        bytes[bytes.Length / 2] ^= 0x01;
        return bytes;
    }

    private static byte[] EditIncident(byte[] manifest) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(manifest).Replace("\"justification\":\"", "\"justification\":\"edited: "));

    private async Task<string> ProbeAsync(string file)
    {
        using var probe = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", file]) { RedirectStandardOutput = true })!;
        var codec = (await probe.StandardOutput.ReadToEndAsync()).Trim();
        await probe.WaitForExitAsync();
        return codec;
    }
}
