using System.Net.Http.Json;
using System.Text.Json;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>One cell of a district's sharing policy set for a test, through the API (PATCH) as its district admin; disposing restores it.</summary>
public sealed class PolicyOverride : IAsyncDisposable
{
    private readonly TestNode _node;
    private readonly string _adminToken, _district, _kind, _purpose, _original;

    private PolicyOverride(TestNode node, string adminToken, string district, string kind, string purpose, string original) =>
        (_node, _adminToken, _district, _kind, _purpose, _original) = (node, adminToken, district, kind, purpose, original);

    public static async Task<PolicyOverride> SetAsync(TestNode node, string adminToken, string district, string kind, string purpose, string level)
    {
        using var current = await node.SendAsync(HttpMethod.Get, $"/api/v1/districts/{district}", adminToken);
        var original = (await current.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sharingPolicy").GetProperty(kind).GetProperty(purpose).GetString()!;
        var change = new PolicyOverride(node, adminToken, district, kind, purpose, original);
        await change.PatchAsync(level);
        return change;
    }

    private async Task PatchAsync(string level)
    {
        using var patch = await _node.SendAsync(HttpMethod.Patch, $"/api/v1/districts/{_district}/sharing-policy", _adminToken,
            JsonContent.Create(new Dictionary<string, Dictionary<string, string>> { [_kind] = new() { [_purpose] = level } }));
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync() => await PatchAsync(_original);
}
