using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

[Collection(NodeCollection.Name)]
public sealed class CrossDistrictTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task A_district_admin_cannot_edit_another_districts_policy()
    {
        var token = await Node.TokenAsync("control-jongno", "admin-jongno", "district-admin");
        using var response = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11020/sharing-policy", token,
            JsonContent.Create(new Dictionary<string, Dictionary<string, string>>()));
        Assert.Contains("own district", await ProblemAssert.IsProblemAsync(response, 403));
    }

    [Fact]
    public async Task A_district_admin_edits_their_own_policy_and_the_change_is_audited_and_enforced()
    {
        var admin = await Node.TokenAsync("control-yongsan", "admin-yongsan", "district-admin");
        using var current = await Node.SendAsync(HttpMethod.Get, "/api/v1/districts/11030", admin);
        var before = await current.Content.ReadFromJsonAsync<JsonElement>();
        var policy = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(before.GetProperty("sharingPolicy").GetRawText())!;
        policy["police-112-center"]["crime-prevention"] = "never";

        using var put = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11030/sharing-policy", admin, JsonContent.Create(policy));
        Assert.Equal(200, (int)put.StatusCode);
        var after = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(before.GetProperty("policyVersion").GetInt32() + 1, after.GetProperty("policyVersion").GetInt32());

        var (_, police) = await Node.SessionAsync("seoul-112", "officer-park");
        using var nearby = await Node.SendAsync(HttpMethod.Get, "/api/v1/cameras/nearby?lat=37.5326&lon=126.9905&radius=2000&limit=50&purpose=crime-prevention", police);
        var items = (await nearby.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("districtCode").GetString() == "11030" && i.GetProperty("status").GetString() == "online").ToList();
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Equal("policy-never", i.GetProperty("access").GetProperty("reason").GetString()));

        var auditor = await Node.TokenAsync("seoul-audit", "privacy-officer", "auditor");
        using var audit = await Node.SendAsync(HttpMethod.Get, "/api/v1/audit?kind=policy-change&pageSize=50", auditor);
        var entries = (await audit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray();
        Assert.Contains(entries, e => e.GetProperty("entry").GetProperty("actor").GetString() == "control-yongsan/admin-yongsan");

        policy["police-112-center"]["crime-prevention"] = "standing";
        using var restore = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11030/sharing-policy", admin, JsonContent.Create(policy));
        Assert.Equal(200, (int)restore.StatusCode);
    }
}
