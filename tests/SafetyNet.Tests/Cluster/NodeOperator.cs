using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Cluster;

/// <summary>A 112 operator working against a node process: a session on the node's client, and decisions on cameras near City Hall.</summary>
public static class NodeOperator
{
    /// <summary>Starts a session (its token becomes the client's) and returns the five cameras nearest City Hall.</summary>
    public static async Task<List<string>> SignInAsync(NodeProcess node, string operatorId)
    {
        var (_, session) = await node.Http.SessionAsync("seoul-112", operatorId);
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session);
        var nearby = await node.Http.GetFromJsonAsync<JsonElement>("/api/v1/cameras/nearby?lat=37.5663&lon=126.9779&radius=5000&limit=5");
        var cameras = nearby.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.NotEmpty(cameras);
        return cameras;
    }

    /// <summary>Asks for monitoring access <paramref name="decisions"/> times, round the cameras; each must be answered 200.</summary>
    public static async Task DecideAsync(NodeProcess node, IReadOnlyList<string> cameras, int decisions)
    {
        for (var i = 0; i < decisions; i++)
        {
            using var response = await node.Http.GetAsync($"/api/v1/cameras/{cameras[i % cameras.Count]}/access?purpose=monitoring");
            Assert.True((int)response.StatusCode == 200, $"decision {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
