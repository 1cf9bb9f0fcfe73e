using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Grains.Agencies;
using SafetyNet.Grains.Districts;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>Issue 10 item 8: undefined enum values are refused at the edge, and stored ones deny instead of failing.</summary>
[Collection(TrustBoundaryNodeCollection.Name), Trait("Category", "Slow")]
public sealed class UndefinedEnumTests(TrustBoundaryNodeFixture fixture)
{
    private const string Mapo = "11140";
    private const double MapoLatitude = 37.555453, MapoLongitude = 126.911915;
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Numbers_and_unknown_names_in_bodies_and_queries_are_400()
    {
        var camera = await fixture.StoreDirectlyAsync("rtsp://10.20.30.60/live");
        var platformAdmin = await Node.TokenAsync("safetynet-ops", "root-enums", "platform-admin");
        var (_, viewer) = await Node.SessionAsync("police-jung", "op-enums");
        var requests = new (HttpMethod Method, string Path, string Token, string? Json)[]
        {
            (HttpMethod.Patch, $"/api/v1/cameras/{camera}", platformAdmin, """{"purpose":42}"""),
            (HttpMethod.Patch, $"/api/v1/cameras/{camera}", platformAdmin, """{"purpose":"42"}"""),
            (HttpMethod.Patch, $"/api/v1/cameras/{camera}", platformAdmin, """{"purpose":"traffic,parking"}"""),
            (HttpMethod.Patch, $"/api/v1/cameras/{camera}", platformAdmin, """{"status":2}"""),
            (HttpMethod.Put, "/api/v1/agencies/enum-probe", platformAdmin, """{"name":"Probe","kind":99,"cityWide":false,"districts":["11020"]}"""),
            (HttpMethod.Put, "/api/v1/agencies/enum-probe", platformAdmin, """{"name":"Probe","kind":"1","cityWide":false,"districts":["11020"]}"""),
            (HttpMethod.Put, "/api/v1/districts/11020/sharing-policy", platformAdmin, """{"police-station":{"traffic":2}}"""),
            (HttpMethod.Post, $"/api/v1/cameras/{camera}/leases", viewer, """{"purpose":"4"}"""),
            (HttpMethod.Get, $"/api/v1/cameras/{camera}/access?purpose=4", viewer, null),
            (HttpMethod.Get, $"/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&purpose=1", viewer, null),
            (HttpMethod.Get, $"/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&status=0", viewer, null),
            (HttpMethod.Get, $"/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&accessPurpose=42", viewer, null),
        };
        foreach (var (method, path, token, json) in requests)
        {
            using var response = await Node.SendAsync(method, path, token, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));
            await ProblemAssert.IsProblemAsync(response, 400);
        }
        using (var named = await Node.SendAsync(HttpMethod.Patch, $"/api/v1/cameras/{camera}", platformAdmin, JsonContent.Create(new { purpose = "traffic" })))
            Assert.Equal("traffic", (await named.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("purpose").GetString());
        Assert.Null(await Node.Grains.GetGrain<IAgencyGrain>("enum-probe").GetAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_enums_as_their_names()
    {
        using var response = await Node.Http.GetAsync("/openapi/v1.json");
        var schemas = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("components").GetProperty("schemas");
        Assert.Equal(["crime-prevention", "traffic", "disaster", "child-protection", "parking", "facility"],
            schemas.GetProperty("CameraPurpose").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("string", schemas.GetProperty("AgencyKind").GetProperty("type").GetString());
        Assert.Contains("traffic", schemas.GetProperty("CameraPatch").GetProperty("properties").GetProperty("purpose").GetProperty("enum")
            .EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null));
    }

    [Fact]
    public async Task Undefined_values_already_stored_give_denials_and_4xx_never_500()
    {
        var platformAdmin = await Node.TokenAsync("safetynet-ops", "root-stored", "platform-admin");
        var badPurpose = await fixture.StoreDirectlyAsync("rtsp://10.20.30.61/live", district: Mapo, latitude: MapoLatitude, longitude: MapoLongitude);
        var badStatus = await fixture.StoreDirectlyAsync("rtsp://10.20.30.62/live", district: Mapo, latitude: MapoLatitude, longitude: MapoLongitude);
        var agencyId = TrustBoundaryNodeFixture.NewId("broken-agency");
        using (var put = await Node.SendAsync(HttpMethod.Put, $"/api/v1/agencies/{agencyId}", platformAdmin,
                   JsonContent.Create(new { name = "Broken", kind = "police-station", cityWide = false, districts = new[] { Mapo } })))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        // As an older version or a hand edit could have left them: written into grain storage, then the grains reloaded.
        await OverwriteStateAsync<DistrictState>(Node.Grains.GetGrain<IDistrictGrain>(Mapo), "district", district =>
        {
            district.Cameras[badPurpose] = district.Cameras[badPurpose] with { Purpose = (CameraPurpose)42 };
            district.Cameras[badStatus] = district.Cameras[badStatus] with { Status = (CameraStatus)7 };
            var matrix = (district.Policy ?? SharingPolicy.KoreanDefault).Matrix.ToArray();
            matrix[(int)AgencyKind.Police112Center * SharingPolicy.PurposeCount + (int)CameraPurpose.Traffic] = (SharingLevel)9;
            district.Policy = (district.Policy ?? SharingPolicy.KoreanDefault) with { Matrix = matrix };
            district.CatalogVersion++;
        });
        await OverwriteStateAsync<AgencyState>(Node.Grains.GetGrain<IAgencyGrain>(agencyId), "agency",
            agency => agency.Agency = agency.Agency! with { Kind = (AgencyKind)99 });

        var nearby = $"/api/v1/cameras/nearby?lat={MapoLatitude}&lon={MapoLongitude}&radius=200&limit=100";
        var (_, police) = await Node.SessionAsync("police-mapo", TrustBoundaryNodeFixture.NewId("op-stored"));
        // The camera list is not audited, so waiting on it for the index to reload spends none of the caller's audit budget.
        await Eventually.WaitAsync(async () =>
        {
            using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras?district={Mapo}&pageSize=20000", police);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToArray();
        }, found => found.Any(p => p.GetProperty("id").GetString() == badPurpose && p.GetProperty("purpose").ValueKind == JsonValueKind.Number),
            TimeSpan.FromSeconds(20), "the index to hold the camera with the undefined purpose");
        JsonElement[] items;
        using (var response = await Node.SendAsync(HttpMethod.Get, nearby, police))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            items = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToArray();
        }
        Assert.Equal(42, items.Single(i => i.GetProperty("id").GetString() == badPurpose).GetProperty("purpose").GetInt32());
        foreach (var bad in new[] { badPurpose, badStatus })
        {
            var item = items.Single(i => i.GetProperty("id").GetString() == bad);
            Assert.False(item.GetProperty("access").GetProperty("allowed").GetBoolean());
            Assert.Equal("invalid-record", item.GetProperty("access").GetProperty("reason").GetString());
            using (var access = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{bad}/access", police))
                Assert.Equal("invalid-record", (await access.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
            using (var lease = await Node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{bad}/leases", police, JsonContent.Create(new { purpose = "monitoring" })))
                Assert.Contains("administrator must correct", await ProblemAssert.IsProblemAsync(lease, 403));
            using (var one = await Node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{bad}", platformAdmin))
                Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        }
        using (var overview = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/access-overview", police))
            Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        var (_, dispatcher) = await Node.SessionAsync("seoul-112", TrustBoundaryNodeFixture.NewId("op-stored"));
        using (var overview = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/access-overview", dispatcher))
        {
            var cells = (await overview.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("districts").EnumerateArray();
            Assert.Equal("denied", cells.Single(c => c.GetProperty("districtCode").GetString() == Mapo && c.GetProperty("purpose").GetString() == "traffic")
                .GetProperty("access").GetString());
        }
        using (var district = await Node.SendAsync(HttpMethod.Get, $"/api/v1/districts/{Mapo}", police))
            Assert.Equal(HttpStatusCode.OK, district.StatusCode);
        using (var agency = await Node.SendAsync(HttpMethod.Get, $"/api/v1/agencies/{agencyId}", police))
            Assert.Equal(99, (await agency.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetInt32());

        // The agency of an undefined kind: its token or session is refused, or everything it asks is denied; never a 500.
        using var tokenResponse = await Node.Http.PostAsJsonAsync("/api/v1/auth/token", new { agencyId, operatorId = "op", role = "operator" });
        Assert.True((int)tokenResponse.StatusCode < 500);
        if (!tokenResponse.IsSuccessStatusCode) return;
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        using var session = await Node.SendAsync(HttpMethod.Post, "/api/v1/sessions", token);
        Assert.True((int)session.StatusCode < 500);
        if (!session.IsSuccessStatusCode) return;
        var brokenToken = (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        foreach (var path in new[] { nearby, $"/api/v1/cameras/{badStatus}/access", "/api/v1/cameras/access-overview" })
        {
            using var response = await Node.SendAsync(HttpMethod.Get, path, brokenToken);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode} {body}");
            Assert.DoesNotContain("\"allowed\":true", body);
            Assert.DoesNotContain("\"access\":\"allowed\"", body);
        }
        using (var lease = await Node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{badPurpose}/leases", brokenToken, JsonContent.Create(new { purpose = "monitoring" })))
            await ProblemAssert.IsProblemAsync(lease, 403);
    }

    private async Task OverwriteStateAsync<TState>(IAddressable grain, string stateName, Action<TState> change) where TState : new()
    {
        var storage = Node.App.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var state = new GrainState<TState>();
        await storage.ReadStateAsync(stateName, grain.GetGrainId(), state);
        change(state.State!);
        await storage.WriteStateAsync(stateName, grain.GetGrainId(), state);
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
    }
}
