using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>Issue 10 item 9: listings that only preview access write one summary row; audited endpoints are rate-limited per caller.</summary>
[Collection(TrustBoundaryNodeCollection.Name), Trait("Category", "Slow")]
public sealed class LedgerPreviewTests(TrustBoundaryNodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    private static JsonElement Details(JsonElement row) => JsonDocument.Parse(row.GetProperty("entry").GetProperty("details").GetString()!).RootElement;

    [Fact]
    public async Task A_500_camera_nearby_request_writes_one_summary_row_with_or_without_a_session()
    {
        const string Query = "/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&radius=20000&limit=500";
        var (session, token) = await Node.SessionAsync("police-jung", TrustBoundaryNodeFixture.NewId("op-nearby"));
        var before = await fixture.AuditAsync($"session={session}");
        using (var response = await Node.SendAsync(HttpMethod.Get, Query, token))
        {
            var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToArray();
            Assert.Equal(500, items.Length);
            Assert.Contains(items, i => i.GetProperty("access").GetProperty("allowed").GetBoolean());
        }
        var added = (await fixture.AuditAsync($"session={session}")).Where(r => before.All(b => b.GetProperty("seq").GetInt64() != r.GetProperty("seq").GetInt64())).ToArray();
        var summary = Assert.Single(added);
        Assert.Equal("access-preview", summary.GetProperty("entry").GetProperty("kind").GetString());
        Assert.Equal(500, Details(summary).GetProperty("judged").GetInt32());
        Assert.True(Details(summary).GetProperty("allowed").GetInt32() > 0);
        Assert.Contains("radius=20000", Details(summary).GetProperty("query").GetString());

        // Without a session every camera is denied as session-required: still one row, not 500.
        var dispatcher = TrustBoundaryNodeFixture.NewId("cad-nearby");
        var cad = await Node.TokenAsync("seoul-119", dispatcher, "dispatch-system");
        var rowsBefore = await fixture.AuditAsync("agency=seoul-119");
        using (var response = await Node.SendAsync(HttpMethod.Get, Query, cad))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await fixture.AuditAsync("agency=seoul-119")).Where(r => r.GetProperty("entry").GetProperty("actor").GetString() == $"seoul-119/{dispatcher}").ToArray();
        Assert.Equal(rowsBefore.Length + 1, (await fixture.AuditAsync("agency=seoul-119")).Length);
        var denied = Assert.Single(rows);
        Assert.Equal("session-required", denied.GetProperty("entry").GetProperty("reason").GetString());
        Assert.Equal(0, Details(denied).GetProperty("allowed").GetInt32());
    }

    [Fact]
    public async Task The_access_overview_writes_one_summary_row_and_a_real_view_keeps_its_own_rows()
    {
        var (session, token) = await Node.SessionAsync("police-jung", TrustBoundaryNodeFixture.NewId("op-overview"));
        using (var overview = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/access-overview", token))
            Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        var previews = (await fixture.AuditAsync($"session={session}&kind=access-preview"));
        var summary = Assert.Single(previews);
        Assert.Equal("access-overview", Details(summary).GetProperty("query").GetString());

        // A snapshot is a view: its own row, with the purpose.
        using var list = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras?district=11020&pageSize=20000", token);
        var camera = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties"))
            .First(p => p.GetProperty("purpose").GetString() == "crime-prevention" && p.GetProperty("status").GetString() == "online").GetProperty("id").GetString();
        using (var snapshot = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{camera}/snapshot?purpose=crime-investigation", token))
            Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
        var snapshotRow = Assert.Single(await fixture.AuditAsync($"session={session}&kind=snapshot"));
        Assert.Equal(camera, snapshotRow.GetProperty("entry").GetProperty("cameraId").GetString());
        Assert.Equal("crime-investigation", Details(snapshotRow).GetProperty("purpose").GetString());
    }

    [Fact]
    public async Task A_burst_of_audited_requests_beyond_the_callers_limit_gets_429_and_others_are_unaffected()
    {
        var flooder = await Node.TokenAsync("seoul-112", TrustBoundaryNodeFixture.NewId("cad-flood"), "dispatch-system");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? rejected = null;
        for (var i = 0; i < TrustBoundaryNodeFixture.AuditBurst + 5; i++)
        {
            var response = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&radius=500&limit=5", flooder);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) rejected ??= response;
            else response.Dispose();
        }
        Assert.All(statuses.Take(TrustBoundaryNodeFixture.AuditBurst), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.All(statuses.Skip(TrustBoundaryNodeFixture.AuditBurst), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.Contains("Rate limit", await ProblemAssert.IsProblemAsync(rejected!, 429));
        rejected!.Dispose();

        // Reading what does not write to the ledger, and another caller, still go through.
        using (var districts = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts", flooder))
            Assert.Equal(HttpStatusCode.OK, districts.StatusCode);
        var other = await Node.TokenAsync("seoul-112", TrustBoundaryNodeFixture.NewId("cad-calm"), "dispatch-system");
        using (var calm = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&radius=500&limit=5", other))
            Assert.Equal(HttpStatusCode.OK, calm.StatusCode);
    }
}
