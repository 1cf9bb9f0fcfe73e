using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>
/// A node with the default stream URL policy (no loopback) and a small audit-write limit (10 at once, one more an hour),
/// so a burst can be provoked; every test uses its own operator ids, so each principal has its own bucket.
/// </summary>
public sealed class TrustBoundaryNodeFixture : IAsyncLifetime
{
    public const int AuditBurst = 10;

    /// <summary>City Hall, in Jung-gu (11020).</summary>
    public const double Latitude = 37.5663, Longitude = 126.9779;

    public TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await TestNode.StartAsync(2_000, extra: new Dictionary<string, string?>
        {
            ["AuditRateLimit:Burst"] = AuditBurst.ToString(),
            ["AuditRateLimit:TokensPerPeriod"] = "1",
            ["AuditRateLimit:Period"] = "01:00:00",
        });
        // The platform's own agencies (platform operations, the city audit office) come with the demo city once their kinds
        // exist; a node seeded without them gets them here, so that these tests speak as those agencies either way.
        foreach (var id in new[] { "safetynet-ops", "seoul-audit" })
            if (await Node.Grains.GetGrain<IAgencyGrain>(id).GetAsync() is null)
                await Node.Grains.GetGrain<IAgencyGrain>(id).UpsertAsync(new AgencyInfo(id, id, AgencyKind.DistrictControlCenter, true, []), "test-setup");
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Node.DeleteData();
    }

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Registers a camera the way an older version might have stored it: straight into its district, past the API's checks.</summary>
    public async Task<string> StoreDirectlyAsync(string streamUrl, string district = "11020", double latitude = Latitude, double longitude = Longitude)
    {
        var id = NewId("stored");
        await Node.Grains.GetGrain<IDistrictGrain>(district).UpsertCamerasAsync(
            [new CameraInfo(id, district, new SafetyNet.Contracts.Geo.GeoPoint(latitude, longitude), CameraPurpose.CrimePrevention, CameraStatus.Online, streamUrl)]);
        await Node.Grains.GetGrain<ISpatialQueryGrain>(0).RefreshAsync();
        return id;
    }

    public async Task<JsonElement> ImportCsvAsync(string token, string csv)
    {
        using var response = await Node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", token, new StringContent(csv, Encoding.UTF8, "text/csv"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    public async Task<JsonElement[]> AuditAsync(string query)
    {
        // The city's auditor: these tests read rows about city-wide agencies, which no district's privacy officer reads.
        var auditor = await Node.TokenAsync("seoul-audit", "inspector", "auditor");
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/audit?pageSize=1000&{query}", auditor);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("items").EnumerateArray().ToArray();
    }
}

[CollectionDefinition(Name)]
public sealed class TrustBoundaryNodeCollection : ICollectionFixture<TrustBoundaryNodeFixture>
{
    public const string Name = "trust-boundary-node";
}
