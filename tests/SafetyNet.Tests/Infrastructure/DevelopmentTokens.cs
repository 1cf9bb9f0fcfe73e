using System.Net.Http.Json;
using System.Text.Json;

namespace SafetyNet.Tests.Infrastructure;

public static class DevelopmentTokens
{
    /// <summary>A token from a node's development token endpoint (on with Auth:DevelopmentTokens=true).</summary>
    public static async Task<string> MintAsync(this HttpClient node, string agencyId, string operatorId, string role)
    {
        using var response = await node.PostAsJsonAsync("/api/v1/auth/token", new { agencyId, operatorId, role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}
