using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>Editing a district's sharing policy can neither widen nor narrow anything the editor did not name.</summary>
[Collection(NodeCollection.Name)]
public sealed class SharingPolicyEditTests(NodeFixture fixture)
{
    private TestNode Node => fixture.Node;

    private async Task<(int Version, Dictionary<string, Dictionary<string, string>> Policy)> PolicyAsync(string district)
    {
        var reader = await Node.TokenAsync("seoul-audit", "policy-edit-reader", "auditor");
        using var response = await Node.SendAsync(HttpMethod.Get, $"/api/v1/districts/{district}", reader);
        var detail = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (detail.GetProperty("policyVersion").GetInt32(),
            JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(detail.GetProperty("sharingPolicy").GetRawText())!);
    }

    private static string Other(string level) => level == "standing" ? "never" : "standing";

    private static List<(string Kind, string Purpose, string From, string To)> Changes(JsonElement answer) =>
        answer.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("kind").GetString()!, c.GetProperty("purpose").GetString()!,
            c.GetProperty("from").GetString()!, c.GetProperty("to").GetString()!)).OrderBy(c => c.Item1).ThenBy(c => c.Item2).ToList();

    private static void AssertSameExcept(Dictionary<string, Dictionary<string, string>> before, Dictionary<string, Dictionary<string, string>> after,
        params (string Kind, string Purpose)[] changed)
    {
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (kind, row) in before)
            foreach (var (purpose, level) in row)
                if (!changed.Contains((kind, purpose)))
                    Assert.True(level == after[kind][purpose], $"{kind} × {purpose} moved from {level} to {after[kind][purpose]} although the edit did not name it");
    }

    [Fact]
    public async Task PATCH_changes_only_the_named_pairs_lists_them_and_the_ledger_records_them()
    {
        var admin = await Node.TokenAsync("control-seongbuk", "admin-seongbuk", "district-admin");
        var (version, before) = await PolicyAsync("11080");
        var traffic = Other(before["fire-119-center"]["traffic"]);
        var disaster = Other(before["disaster-room"]["disaster"]);

        using var patch = await Node.SendAsync(HttpMethod.Patch, "/api/v1/districts/11080/sharing-policy", admin, JsonContent.Create(
            new Dictionary<string, Dictionary<string, string>> { ["fire-119-center"] = new() { ["traffic"] = traffic }, ["disaster-room"] = new() { ["disaster"] = disaster } }));
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        var answer = await patch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(version + 1, answer.GetProperty("policyVersion").GetInt32());
        Assert.Equal(
            [("disaster-room", "disaster", before["disaster-room"]["disaster"], disaster), ("fire-119-center", "traffic", before["fire-119-center"]["traffic"], traffic)],
            Changes(answer));

        var (versionAfter, after) = await PolicyAsync("11080");
        Assert.Equal(version + 1, versionAfter);
        Assert.Equal(traffic, after["fire-119-center"]["traffic"]);
        Assert.Equal(disaster, after["disaster-room"]["disaster"]);
        AssertSameExcept(before, after, ("fire-119-center", "traffic"), ("disaster-room", "disaster"));

        var auditor = await Node.TokenAsync("seoul-audit", "policy-edit-auditor", "auditor");
        using var audit = await Node.SendAsync(HttpMethod.Get, "/api/v1/audit?kind=policy-change&pageSize=100", auditor);
        var entries = (await audit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()
            .Select(e => e.GetProperty("entry")).Where(e => e.GetProperty("actor").GetString() == "control-seongbuk/admin-seongbuk").ToList();
        var details = Assert.Single(entries, e => JsonDocument.Parse(e.GetProperty("details").GetString()!).RootElement.GetProperty("version").GetInt32() == version + 1);
        var recorded = JsonDocument.Parse(details.GetProperty("details").GetString()!).RootElement;
        Assert.Equal("11080", recorded.GetProperty("district").GetString());
        Assert.Equal(2, recorded.GetProperty("changes").GetArrayLength());
        Assert.Contains(recorded.GetProperty("changes").EnumerateArray(), c => c.GetProperty("kind").GetString() == "fire-119-center"
            && c.GetProperty("purpose").GetString() == "traffic" && c.GetProperty("to").GetString() == traffic);

        using var restore = await Node.SendAsync(HttpMethod.Patch, "/api/v1/districts/11080/sharing-policy", admin, JsonContent.Create(
            new Dictionary<string, Dictionary<string, string>> { ["fire-119-center"] = new() { ["traffic"] = before["fire-119-center"]["traffic"] }, ["disaster-room"] = new() { ["disaster"] = before["disaster-room"]["disaster"] } }));
        Assert.Equal(2, Changes(await restore.Content.ReadFromJsonAsync<JsonElement>()).Count);
        AssertSameExcept(before, (await PolicyAsync("11080")).Policy);
    }

    [Fact]
    public async Task PUT_of_a_partial_table_is_refused_with_what_is_missing_and_changes_nothing()
    {
        var admin = await Node.TokenAsync("control-jungnang", "admin-jungnang", "district-admin");
        var (version, before) = await PolicyAsync("11070");
        var partial = new Dictionary<string, Dictionary<string, string>>(before);
        partial.Remove("vulnerable-support-center");
        partial["fire-119-center"] = before["fire-119-center"].Where(p => p.Key != "traffic").ToDictionary();
        partial["police-112-center"] = new(before["police-112-center"]) { ["crime-prevention"] = Other(before["police-112-center"]["crime-prevention"]) };

        using var put = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11070/sharing-policy", admin, JsonContent.Create(partial));
        var detail = await ProblemAssert.IsProblemAsync(put, 400);
        Assert.Contains("fire-119-center × traffic", detail);
        Assert.Contains("vulnerable-support-center × crime-prevention", detail);
        Assert.Contains("missing 7", detail);
        Assert.Contains("PATCH", detail);
        var (versionAfter, after) = await PolicyAsync("11070");
        Assert.Equal(version, versionAfter);
        AssertSameExcept(before, after);
    }

    [Fact]
    public async Task PUT_of_the_full_table_lists_exactly_the_pairs_it_changed_and_a_restatement_changes_nothing()
    {
        var admin = await Node.TokenAsync("control-jungnang", "admin-jungnang", "district-admin");
        var (version, before) = await PolicyAsync("11070");
        var full = before.ToDictionary(r => r.Key, r => new Dictionary<string, string>(r.Value));
        var level = Other(before["district-control-center"]["parking"]);
        full["district-control-center"]["parking"] = level;

        using var put = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11070/sharing-policy", admin, JsonContent.Create(full));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var answer = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([("district-control-center", "parking", before["district-control-center"]["parking"], level)], Changes(answer));
        Assert.Equal(version + 1, answer.GetProperty("policyVersion").GetInt32());
        AssertSameExcept(before, (await PolicyAsync("11070")).Policy, ("district-control-center", "parking"));

        using var again = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11070/sharing-policy", admin, JsonContent.Create(full));
        var restated = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(Changes(restated));
        Assert.Equal(version + 1, restated.GetProperty("policyVersion").GetInt32());

        using var restore = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11070/sharing-policy", admin, JsonContent.Create(before));
        Assert.Single(Changes(await restore.Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Fact]
    public async Task Another_districts_admin_may_neither_patch_nor_put()
    {
        var other = await Node.TokenAsync("control-jungnang", "admin-jungnang", "district-admin");
        var (version, before) = await PolicyAsync("11080");
        using var patch = await Node.SendAsync(HttpMethod.Patch, "/api/v1/districts/11080/sharing-policy", other, JsonContent.Create(
            new Dictionary<string, Dictionary<string, string>> { ["police-station"] = new() { ["traffic"] = Other(before["police-station"]["traffic"]) } }));
        Assert.Contains("own district", await ProblemAssert.IsProblemAsync(patch, 403));
        using var put = await Node.SendAsync(HttpMethod.Put, "/api/v1/districts/11080/sharing-policy", other, JsonContent.Create(before));
        Assert.Contains("own district", await ProblemAssert.IsProblemAsync(put, 403));
        Assert.Equal(version, (await PolicyAsync("11080")).Version);
    }

    [Theory]
    [InlineData("{}", "at least one pair")]
    [InlineData("""{"police-112-center":{}}""", "at least one pair")]
    [InlineData("""{"police-112-center":null}""", "at least one pair")]
    [InlineData("""{"coast-guard":{"traffic":"standing"}}""", "Unknown agency kind")]
    [InlineData("""{"police-112-center":{"drones":"standing"}}""", "Unknown camera purpose")]
    [InlineData("""{"police-112-center":{"traffic":"sometimes"}}""", "Unknown sharing level")]
    [InlineData("""{"police-112-center":{"traffic":null}}""", "Unknown sharing level")]
    [InlineData("""{"police-112-center":{"traffic":""}}""", "Unknown sharing level")]
    [InlineData("""{"audit-office":{"traffic":"standing"}}""", "never view video")]
    [InlineData("""{"police-112-center":{"traffic":"never","Traffic":"standing"}}""", "named twice")]
    [InlineData("""{"police-112-center":{"traffic":2}}""", "")]
    [InlineData("""{"police-112-center":"standing"}""", "")]
    [InlineData("""["police-112-center"]""", "")]
    [InlineData("""{"police-112-center":{"traffic":"standing"}""", "")]
    public async Task Hostile_patch_bodies_are_400_and_change_nothing(string body, string expected)
    {
        var admin = await Node.TokenAsync("safetynet-ops", "policy-hostile", "platform-admin");
        var (version, _) = await PolicyAsync("11080");
        using var patch = await Node.SendAsync(HttpMethod.Patch, "/api/v1/districts/11080/sharing-policy", admin, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Contains(expected, await ProblemAssert.IsProblemAsync(patch, 400));
        Assert.Equal(version, (await PolicyAsync("11080")).Version);
    }
}
