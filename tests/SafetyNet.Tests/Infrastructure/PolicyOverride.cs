using System.Net.Http.Json;
using System.Text.Json;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>One cell of a district's sharing policy set for a test, through the API as its district admin; disposing restores it.</summary>
public sealed class PolicyOverride : IAsyncDisposable
{
    private readonly TestNode _node;
    private readonly string _adminToken, _district, _kind, _purpose, _original;
    private readonly Dictionary<string, Dictionary<string, string>> _policy;

    private PolicyOverride(TestNode node, string adminToken, string district, string kind, string purpose, Dictionary<string, Dictionary<string, string>> policy)
    {
        (_node, _adminToken, _district, _kind, _purpose, _policy) = (node, adminToken, district, kind, purpose, policy);
        _original = policy[kind][purpose];
    }

    public static async Task<PolicyOverride> SetAsync(TestNode node, string adminToken, string district, string kind, string purpose, string level)
    {
        using var current = await node.SendAsync(HttpMethod.Get, $"/api/v1/districts/{district}", adminToken);
        var policy = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(
            (await current.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sharingPolicy").GetRawText())!;
        var change = new PolicyOverride(node, adminToken, district, kind, purpose, policy);
        await change.PutAsync(level);
        return change;
    }

    private async Task PutAsync(string level)
    {
        _policy[_kind][_purpose] = level;
        using var put = await _node.SendAsync(HttpMethod.Put, $"/api/v1/districts/{_district}/sharing-policy", _adminToken, JsonContent.Create(_policy));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync() => await PutAsync(_original);
}
