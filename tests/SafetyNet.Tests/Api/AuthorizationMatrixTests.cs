using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>Every endpoint × every role: a role not granted gets 403 ProblemDetails, a granted one succeeds.</summary>
[Collection(NodeCollection.Name)]
public sealed class AuthorizationMatrixTests(NodeFixture fixture)
{
    private const string Agency = "control-gangdong";

    /// <summary>Each role from an agency whose kind may hold it (README's role table); the district's own control center where it can.</summary>
    private static string AgencyOf(string role) => role switch
    {
        "dispatch-system" => "seoul-112",
        "platform-admin" => "safetynet-ops",
        _ => Agency,
    };
    private const string District = "11250";
    private const string Camera = "11250-00001";

    private static readonly string[] AllRoles = ["operator", "supervisor", "district-admin", "auditor", "dispatch-system", "platform-admin"];
    private static readonly string[] Managers = ["district-admin", "platform-admin"];
    private static readonly string[] Viewers = ["operator", "supervisor"];

    private sealed record Endpoint(string Name, HttpMethod Method, string[] Allowed, Func<string, string, Task<(string Path, HttpContent? Body)>> Build);

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Every_endpoint_answers_each_role_as_its_rule_says()
    {
        var failures = new List<string>();
        foreach (var endpoint in Endpoints())
        {
            foreach (var role in AllRoles)
            {
                var token = await Node.TokenAsync(AgencyOf(role), $"matrix-{role}", role);
                var (path, body) = await endpoint.Build(role, token);
                var sessionToken = path.Contains("/sessions/") && Viewers.Contains(role) ? SessionTokens[role] : token;
                using var response = await Node.SendAsync(endpoint.Method, path, sessionToken, body);
                var status = (int)response.StatusCode;
                var allowed = endpoint.Allowed.Contains(role);
                if (allowed && status is < 200 or >= 300)
                    failures.Add($"{endpoint.Name} as {role}: expected success, got {status} {await response.Content.ReadAsStringAsync()}");
                if (!allowed && status != 403)
                    failures.Add($"{endpoint.Name} as {role}: expected 403, got {status}");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private readonly Dictionary<string, string> SessionTokens = new();

    private IEnumerable<Endpoint> Endpoints()
    {
        (string, HttpContent?) Get(string path) => (path, null);
        yield return new("list districts", HttpMethod.Get, AllRoles, (_, _) => Task.FromResult(Get("/api/v1/districts")));
        yield return new("get district", HttpMethod.Get, AllRoles, (_, _) => Task.FromResult(Get($"/api/v1/districts/{District}")));
        yield return new("put policy", HttpMethod.Put, Managers, async (_, token) =>
        {
            using var current = await Node.SendAsync(HttpMethod.Get, $"/api/v1/districts/{District}", token);
            var policy = (await current.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sharingPolicy").GetRawText();
            return ($"/api/v1/districts/{District}/sharing-policy", new StringContent(policy, Encoding.UTF8, "application/json"));
        });
        yield return new("list cameras", HttpMethod.Get, AllRoles, (_, _) => Task.FromResult(Get($"/api/v1/cameras?district={District}&pageSize=5")));
        yield return new("nearby", HttpMethod.Get, AllRoles, (_, _) => Task.FromResult(Get("/api/v1/cameras/nearby?lat=37.5663&lon=126.9779")));
        yield return new("get camera", HttpMethod.Get, AllRoles, (_, _) => Task.FromResult(Get($"/api/v1/cameras/{Camera}")));
        yield return new("patch camera", HttpMethod.Patch, Managers, (_, _) => Task.FromResult<(string, HttpContent?)>(
            ($"/api/v1/cameras/{Camera}", JsonContent.Create(new { name = "Gangdong 1" }))));
        yield return new("access decision", HttpMethod.Get, AllRoles, (_, _) => Task.FromResult(Get($"/api/v1/cameras/{Camera}/access")));
        yield return new("import", HttpMethod.Post, Managers, (role, _) => Task.FromResult<(string, HttpContent?)>(("/api/v1/cameras/import",
            new StringContent($"id,lat,lon,purpose,stream_url\nmatrix-{role},37.5500,127.1450,traffic,rtsp://10.20.1.7/cam\n", Encoding.UTF8, "text/csv"))));
        yield return new("list agencies", HttpMethod.Get, AllRoles, (_, _) => Task.FromResult(Get("/api/v1/agencies")));
        yield return new("get agency", HttpMethod.Get, AllRoles, (_, _) => Task.FromResult(Get("/api/v1/agencies/seoul-112")));
        yield return new("put agency", HttpMethod.Put, ["platform-admin"], (_, _) => Task.FromResult<(string, HttpContent?)>(("/api/v1/agencies/matrix-agency",
            JsonContent.Create(new { name = "Matrix Test Unit", kind = "police-patrol", cityWide = false, districts = new[] { District } }))));
        yield return new("start session", HttpMethod.Post, Viewers, (_, _) => Task.FromResult(Get("/api/v1/sessions")));
        yield return new("heartbeat", HttpMethod.Post, Viewers, async (role, _) => (await SessionPath(role) + "/heartbeat", null));
        yield return new("end session", HttpMethod.Delete, Viewers, async (role, _) => (await SessionPath(role), null));
        yield return new("audit", HttpMethod.Get, ["auditor", "district-admin"], (_, _) => Task.FromResult(Get("/api/v1/audit?pageSize=5")));
        yield return new("audit verify", HttpMethod.Get, ["auditor"], (_, _) => Task.FromResult(Get("/api/v1/audit/verify")));
        yield return new("orleans dashboard", HttpMethod.Get, ["platform-admin"], (_, _) => Task.FromResult(Get("/dashboard/")));
    }

    private async Task<string> SessionPath(string role)
    {
        if (!Viewers.Contains(role)) return "/api/v1/sessions/s-not-yours";
        var (sessionId, token) = await Node.SessionAsync(AgencyOf(role), $"matrix-{role}", role);
        SessionTokens[role] = token;
        return $"/api/v1/sessions/{sessionId}";
    }
}
