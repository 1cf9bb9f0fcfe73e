using System.Net.Http.Headers;
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

    /// <summary>An operator session started with a development token: its id and its session-bound token.</summary>
    public static async Task<(string SessionId, string Token)> SessionAsync(this HttpClient node, string agencyId, string operatorId, string role = "operator")
    {
        var token = await node.MintAsync(agencyId, operatorId, role);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sessions");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await node.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("sessionId").GetString()!, body.GetProperty("accessToken").GetString()!);
    }
}
