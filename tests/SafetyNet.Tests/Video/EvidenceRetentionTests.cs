using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Tests.Infrastructure;
using SafetyNet.Tests.Media;

namespace SafetyNet.Tests.Video;

/// <summary>With a short retention period, the sweep deletes an export's files and writes evidence-deleted.</summary>
[Trait("Category", "Slow")]
public sealed class EvidenceRetentionTests : IAsyncLifetime
{
    private RtspTestCamera _camera = null!;
    private TestNode _node = null!;

    public async Task InitializeAsync()
    {
        _camera = await RtspTestCamera.StartAsync(["r"]);
        _node = await TestNode.StartAsync(2_000, extra: new Dictionary<string, string?>
        {
            ["Media:StreamUrls:AllowLoopback"] = "true",
            ["Leases:PrewarmCount"] = "0",
            ["Evidence:RetentionPeriod"] = "00:00:03",
            ["Evidence:SweepInterval"] = "00:00:00.500",
        });
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _node.DeleteData();
        await _camera.DisposeAsync();
    }

    [Fact]
    public async Task An_export_past_its_retention_is_deleted_and_the_deletion_is_in_the_ledger()
    {
        var admin = await _node.TokenAsync("safetynet-ops", "root", "platform-admin");
        var camera = await VideoRequests.RegisterCameraAsync(_node, admin, "keep", "11040", 37.5485, 127.0434, _camera.Url("r"));
        var incident = await VideoRequests.OpenIncidentAsync(_node, 37.5485, 127.0434);
        var (_, supervisor) = await _node.SessionAsync("seoul-112", "retention-supervisor", "supervisor");

        using var exported = await _node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/evidence", supervisor,
            JsonContent.Create(new { kind = "snapshot", incidentId = incident, purpose = "emergency-response", justification = "kept 3 s" }));
        var export = await exported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(exported.StatusCode == HttpStatusCode.Created, export.ToString());
        var exportId = export.GetProperty("exportId").GetString()!;
        var folder = Path.Combine(_node.DataDirectory, "evidence", exportId);
        Assert.True(Directory.Exists(folder), $"the export is stored in {folder}");

        var audit = _node.Grains.GetGrain<IAuditGrain>(0);
        var deleted = await Eventually.WaitAsync(
            () => audit.QueryAsync(new AuditQuery(camera, null, null, null, null, null, 1, 10, AuditKinds.EvidenceDeleted)),
            page => page.Items.Count > 0, TimeSpan.FromSeconds(15), "the sweep to write evidence-deleted");
        Assert.False(Directory.Exists(folder), "the export's files are gone");
        // The ledger row is written once the export is claimed for deletion, before its files go: they follow at once.
        await Eventually.WaitAsync(() => Task.FromResult(Directory.EnumerateFileSystemEntries(Path.Combine(_node.DataDirectory, "evidence")).Count()),
            left => left == 0, TimeSpan.FromSeconds(5), "the claimed export's files to be deleted");
        var entry = Assert.Single(deleted.Items).Entry;
        Assert.Contains(exportId, entry.Details);
        Assert.Equal("11040", entry.DistrictCode);
        Assert.Equal(incident, entry.IncidentId);
        using var gone = await _node.SendAsync(HttpMethod.Get, $"/api/v1/evidence/{exportId}", supervisor);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }
}
