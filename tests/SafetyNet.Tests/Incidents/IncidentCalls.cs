using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>The incident API calls the authority tests make, over real HTTP.</summary>
public static class IncidentCalls
{
    /// <summary>An auditor valid under both the old and the new agency/role rules: Jung-gu's privacy officer.</summary>
    public static readonly (string Agency, string Operator) PrivacyOfficer = ("control-jung", "privacy-officer");

    public static async Task<(int Status, string Body)> PostAsync(this TestNode node, string path, string token, object body)
    {
        using var response = await node.SendAsync(HttpMethod.Post, path, token, JsonContent.Create(body));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> OpenIncidentAsync(this TestNode node, string token, object body, int expected = 201)
    {
        var (status, text) = await node.PostAsync("/api/v1/incidents", token, body);
        Assert.True(status == expected, $"{status}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Posts and asserts a refusal with the given status; returns the ProblemDetails' detail.</summary>
    public static async Task<string> RefusedAsync(this TestNode node, string path, string token, object body, int status)
    {
        using var response = await node.SendAsync(HttpMethod.Post, path, token, JsonContent.Create(body));
        return await ProblemAssert.IsProblemAsync(response, status);
    }

    public static async Task<JsonElement> GetJsonAsync(this TestNode node, string path, string token)
    {
        using var response = await node.SendAsync(HttpMethod.Get, path, token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The ledger's verification as an auditor reads it (GET /api/v1/audit/verify, asserted 200).</summary>
    public static async Task<ChainVerification> VerifyLedgerAsync(this TestNode node, string auditorToken)
    {
        using var response = await node.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", auditorToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ChainVerification>(TestNode.Json))!;
    }

    /// <summary>The access decision's reason for a session on a camera, in the context of an incident.</summary>
    public static async Task<string> ReasonAsync(this TestNode node, string sessionToken, string cameraId, string incidentId, string purpose = "emergency-response") =>
        (await node.GetJsonAsync($"/api/v1/cameras/{cameraId}/access?purpose={purpose}&incident={incidentId}", sessionToken)).GetProperty("reason").GetString()!;

    public static async Task<List<JsonElement>> AuditAsync(this TestNode node, string incidentId, string kind)
    {
        // The city's auditor: an incident's rows may concern any district, and a district's privacy officer reads only its own.
        var auditor = await node.TokenAsync("seoul-audit", "inspector", "auditor");
        return (await node.GetJsonAsync($"/api/v1/audit?incident={incidentId}&kind={kind}", auditor)).GetProperty("items").EnumerateArray()
            .Select(r => r.GetProperty("entry")).ToList();
    }

    public static string[] Strings(this JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static string[] CameraIds(this JsonElement incident) =>
        incident.GetProperty("cameras").EnumerateArray().Select(c => c.GetProperty("cameraId").GetString()!).ToArray();

    public static JsonElement GrantOf(this JsonElement incident, string agencyId) =>
        incident.GetProperty("grants").EnumerateArray().Single(g => g.GetProperty("agencyId").GetString() == agencyId);
}
