using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafetyNet.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafetyNet.Tests.Security;

/// <summary>
/// Walks every operation of the OpenAPI document against every role — own and other agency, own and other district, with
/// and without a session, responder and not, plus tokens an insider could forge — and checks each answer against the
/// README's access table. A leak is a success where the table denies, or a camera secret or another agency's incident
/// in a body that caller may not read. Also walks the three attacks of issue 10 by hand: self-grant, reference reuse,
/// credentials.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AuthorizationWalkTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Jung = "11020";
    private const string Secret = "S3cret!";
    private const string IncidentSecret = "walk-confidential-description";

    private TestNode _node = null!;
    private HttpClient _http = null!;
    private string _signingKey = "";
    private int _unique;

    /// <summary>A caller: no token at all, or a token of an agency and role, with or without an operator session.</summary>
    private sealed record Caller(string Name, string? Agency, string? Role, bool WithSession = false, bool Forged = false)
    {
        public override string ToString() => Name;
    }

    private static readonly Caller[] Callers =
    [
        new("anonymous", null, null),
        new("112 dispatch", "seoul-112", "dispatch-system"),
        new("119 dispatch", "seoul-119", "dispatch-system"),
        new("SOS dispatch", "seoul-sos-center", "dispatch-system"),
        new("disaster-room dispatch", "seoul-disaster-room", "dispatch-system"),
        new("Jung police operator, session", "police-jung", "operator", WithSession: true),
        new("Jung police operator, no session", "police-jung", "operator"),
        new("Gangnam police operator, session", "police-gangnam", "operator", WithSession: true),
        new("Gangnam police operator, no session", "police-gangnam", "operator"),
        new("Jung police supervisor, session", "police-jung", "supervisor", WithSession: true),
        new("112 supervisor, session", "seoul-112", "supervisor", WithSession: true),
        new("Jung district admin", "control-jung", "district-admin"),
        new("Gangnam district admin", "control-gangnam", "district-admin"),
        new("Jung privacy officer", "control-jung", "auditor"),
        new("city-wide auditor", "seoul-audit", "auditor"),
        new("platform admin", "safetynet-ops", "platform-admin"),
        new("forged: police as platform admin", "police-jung", "platform-admin", Forged: true),
        new("forged: unregistered agency", "ghost-agency", "operator", Forged: true),
    ];

    private static readonly Dictionary<string, string> KindOf = new()
    {
        ["seoul-112"] = "police-112-center", ["seoul-119"] = "fire-119-center", ["seoul-sos-center"] = "vulnerable-support-center",
        ["seoul-disaster-room"] = "disaster-room", ["police-jung"] = "police-station", ["police-gangnam"] = "police-station",
        ["control-jung"] = "district-control-center", ["control-gangnam"] = "district-control-center",
        ["seoul-audit"] = "audit-office", ["safetynet-ops"] = "platform-operations",
    };

    private static readonly Dictionary<string, string> OpenerKindOf = new()
    {
        ["112-dispatch"] = "police-112-center", ["disaster-response"] = "disaster-room",
    };

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync(cameras: 3000, extra: new Dictionary<string, string?>
        {
            ["Auth:DevelopmentTokens"] = "true",
            // The walk holds a lease per caller and request on one camera; the cap is not what it tests.
            ["Leases:ViewerCapPerCamera"] = "1000",
            // The walk's leases are under 112 incidents, whose grants here carry the recorded-video right (so a rewind lets the owner in).
            ["Incidents:Types:112-dispatch:GrantsRecordedVideo"] = "true",
        });
        // Redirects are answers too (the Orleans Dashboard's root redirects); following one would drop the token.
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _node.Http.BaseAddress };
        _signingKey = (await File.ReadAllTextAsync(Path.Combine(_node.DataDirectory, "signing.key"))).Trim();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _node.DisposeAsync();
        _node.DeleteData();
    }

    [Fact]
    public async Task Every_operation_answers_every_caller_as_the_README_table_says()
    {
        var rules = AccessTable.FromReadme();
        var operations = await OpenApiOperations.LoadAsync(_node.Http);
        var undocumented = operations.Where(o => !rules.Any(r => r.Matches(o))).ToList();
        Assert.True(undocumented.Count == 0, $"Operations missing from the README access table: {string.Join(", ", undocumented)}");
        var stale = rules.Where(r => !operations.Any(r.Matches)).ToList();
        Assert.True(stale.Count == 0, $"README access table rows with no such operation: {string.Join(", ", stale)}");

        var world = await BuildWorldAsync();
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var operation in operations)
        {
            var rule = rules.First(r => r.Matches(operation));
            foreach (var caller in Callers)
            foreach (var own in OwnershipVariants(rule, caller))
            {
                var (request, expectAllowed) = await PrepareAsync(operation, rule, caller, own, world);
                using (request)
                {
                    var (status, body) = await SendAsync(request, operation);
                    checkedCount++;
                    var label = $"{operation} as {caller}{(own ? "" : " on another's resource")}";
                    if (status >= 500) failures.Add($"{label}: {status} {Shorten(body)}");
                    else if (expectAllowed && status is 401 or 403) failures.Add($"{label}: expected to be let in, got {status} {Shorten(body)}");
                    else if (!expectAllowed && status is >= 200 and < 300 && !IsRefusedImport(operation, body))
                        failures.Add($"LEAK {label}: expected 401/403/404, got {status} {Shorten(body)}");
                    if (body.Contains(Secret) && !MaySeeSecrets(caller)) failures.Add($"LEAK {label}: the camera password is in the answer");
                    if (body.Contains(IncidentSecret) && !MayReadIncident(caller, world)) failures.Add($"LEAK {label}: another agency's incident is in the answer");
                }
            }
        }
        output.WriteLine($"{checkedCount} requests over {operations.Count} operations and {Callers.Length} callers; {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task The_attacks_of_the_trust_boundary_report_are_refused()
    {
        var world = await BuildWorldAsync();

        // Self-grant: a Gangnam police operator opens a 112 incident in Jung-gu naming only itself, then leases there.
        var gangnam = await TokenAsync(new Caller("", "police-gangnam", "operator"));
        using (var open = await _node.SendAsync(HttpMethod.Post, "/api/v1/incidents", gangnam, Json(
                   """{"type":"112-emergency-video","latitude":37.5663,"longitude":126.9779,"agencies":["police-gangnam"],"justification":"self-grant"}""")))
            Assert.Equal(403, (int)open.StatusCode);
        var (_, gangnamSession) = await _node.SessionAsync("police-gangnam", "self-granter");
        using (var lease = await _node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{world.Camera}/leases", gangnamSession,
                   Json($$"""{"purpose":"emergency-response","incidentId":"{{world.Incident}}"}""")))
            Assert.Equal(403, (int)lease.StatusCode);

        // Reference reuse: the SOS centre posts its own incident with the 112 reference and learns nothing of it.
        var sos = await TokenAsync(new Caller("", "seoul-sos-center", "dispatch-system"));
        using (var reuse = await _node.SendAsync(HttpMethod.Post, "/api/v1/incidents", sos, Json(
                   $$"""{"type":"vulnerable-sos","latitude":37.5663,"longitude":126.9779,"externalReference":"{{world.Reference}}"}""")))
        {
            var body = await reuse.Content.ReadAsStringAsync();
            Assert.DoesNotContain(world.Incident, body);
            Assert.DoesNotContain(IncidentSecret, body);
        }

        // Credentials: only the platform admin and the owning district's admin see the stream URL's password.
        foreach (var caller in Callers.Where(c => !c.Forged && c.Agency is not null))
        {
            using var camera = await _node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/{world.SecretCamera}", await TokenAsync(caller));
            var body = await camera.Content.ReadAsStringAsync();
            Assert.True(MaySeeSecrets(caller) == body.Contains(Secret), $"{caller}: {(int)camera.StatusCode} {body}");
        }
    }

    private sealed record World(string Camera, string SecretCamera, string Incident, string Reference, IReadOnlySet<string> Responders,
        Dictionary<string, string> Tokens, Dictionary<string, string> Sessions, Dictionary<string, string> Leases);

    private async Task<World> BuildWorldAsync()
    {
        var tokens = new Dictionary<string, string>();
        var sessions = new Dictionary<string, string>();
        foreach (var caller in Callers.Where(c => c.Agency is not null && !c.Forged))
        {
            if (caller.WithSession)
            {
                var (sessionId, sessionToken) = await _node.SessionAsync(caller.Agency!, $"walk-{caller.Role}", caller.Role!);
                tokens[caller.Name] = sessionToken;
                sessions[caller.Name] = sessionId;
            }
            else tokens[caller.Name] = await TokenAsync(caller);
        }

        tokens["112 operator"] = await TokenAsync(new Caller("112 operator", "seoul-112", "operator"));
        var reference = $"112-WALK-{Guid.NewGuid():N}";
        var incident = await OpenIncidentAsync(tokens["112 dispatch"], reference);
        var responders = incident.GetProperty("agencies").EnumerateArray().Select(a => a.GetString()!).ToHashSet();
        Assert.Contains("police-jung", responders);
        Assert.DoesNotContain("police-gangnam", responders);
        var camera = incident.GetProperty("cameras")[0].GetProperty("cameraId").GetString()!;

        using (var import = await _node.SendAsync(HttpMethod.Post, "/api/v1/cameras/import", tokens["platform admin"], new StringContent(
                   $"id,lat,lon,purpose,stream_url\nwalk-secret,37.5664,126.9780,crime-prevention,rtsp://admin:{Secret}@10.20.30.40:554/stream1\n",
                   Encoding.UTF8, "text/csv")))
        {
            var report = await import.Content.ReadAsStringAsync();
            Assert.True(import.IsSuccessStatusCode && report.Contains("\"rejected\":0"), report);
        }
        const string secretCamera = "walk-secret";

        var leases = new Dictionary<string, string>();
        foreach (var caller in Callers.Where(c => c.WithSession && responders.Contains(c.Agency!)))
            leases[caller.Name] = await LeaseAsync(tokens[caller.Name], camera, incident.GetProperty("id").GetString()!);
        return new World(camera, secretCamera, incident.GetProperty("id").GetString()!, reference, responders, tokens, sessions, leases);
    }

    /// <summary>Operations on a session or lease are tried on the caller's own (when it can have one) and on someone else's.</summary>
    private static IEnumerable<bool> OwnershipVariants(AccessRule rule, Caller caller)
    {
        if ((rule.Has("own-session") || rule.Has("own-lease")) && caller.WithSession) yield return true;
        yield return rule.Has("own-session") || rule.Has("own-lease") ? false : true;
    }

    private async Task<(HttpRequestMessage Request, bool ExpectAllowed)> PrepareAsync(ApiOperation operation, AccessRule rule, Caller caller, bool own, World world)
    {
        var unique = $"{Interlocked.Increment(ref _unique)}";
        var token = caller.Agency is null ? null : caller.Forged ? TestTokens.Mint(_signingKey, caller.Agency, caller.Role!) : world.Tokens[caller.Name];
        var ids = new ApiIds(world.Camera, Jung, $"walk-unit-{unique}", world.Incident, "s-someone-else", "l-someone-else");
        var body = SampleRequests.BodyFor(operation, ids, unique);
        var expect = !caller.Forged && (rule.Anonymous || (caller.Role is not null && rule.Roles.Contains(caller.Role)));

        if (operation.Path.StartsWith("/api/v1/incidents/{id}/") && operation.Method == "POST")
        {
            // A fresh incident per request, so that a close or a move lets the next caller find it as it was. The one to
            // confirm is opened by a 112 operator, so the 112 supervisor is a second pair of eyes.
            var opener = operation.Path.EndsWith("/confirm") ? world.Tokens["112 operator"] : world.Tokens["112 dispatch"];
            ids = ids with { Incident = (await OpenIncidentAsync(opener, null)).GetProperty("id").GetString()! };
        }
        if (operation.Path.StartsWith("/api/v1/sessions/{id}"))
        {
            var victim = await _node.SessionAsync("police-jung", $"victim-{unique}");
            var mine = own && caller.WithSession ? await _node.SessionAsync(caller.Agency!, $"walk-{caller.Role}", caller.Role!) : default;
            ids = ids with { Session = own && caller.WithSession ? mine.SessionId : victim.SessionId };
            if (own && caller.WithSession) token = mine.Token;
        }
        if (operation.Path.StartsWith("/api/v1/leases/{id}"))
            ids = ids with { Lease = own && world.Leases.ContainsKey(caller.Name) ? await LeaseAsync(world.Tokens[caller.Name], world.Camera, world.Incident) : await VictimLeaseAsync(world) };
        if (operation.Key == "PUT /api/v1/districts/{code}/sharing-policy")
            body = ("application/json", await CurrentPolicyAsync(world.Tokens["platform admin"]));
        if (operation.Key == "POST /api/v1/cameras/import")
            body = ("text/csv", $"id,lat,lon,purpose,stream_url\nwalk-{unique},37.5640,126.9975,traffic,rtsp://10.1.2.3/stream\n");

        foreach (var scope in rule.Scopes)
            expect &= scope switch
            {
                "own-district" => caller.Role == "platform-admin" || caller.Agency == "control-jung",
                "session" => caller.WithSession,
                "own-session" => own && caller.WithSession,
                "own-lease" => own && world.Leases.ContainsKey(caller.Name),
                // The lease must hold the recorded-video right: the walk's incident grants carry it (see InitializeAsync).
                "recorded-video" => own && world.Leases.ContainsKey(caller.Name),
                "access" => caller.WithSession && world.Responders.Contains(caller.Agency!),
                "responder" => world.Responders.Contains(caller.Agency ?? "") || (operation.Method == "GET" && caller.Role is "auditor" or "platform-admin"),
                "opener-kind" => caller.Agency is not null && KindOf.GetValueOrDefault(caller.Agency) ==
                                 OpenerKindOf[operation.Path.EndsWith("/cap") ? "disaster-response" : "112-dispatch"],
                "confirmer" => caller is { Role: "supervisor", Agency: "seoul-112" },
                "dev-tokens" => true,
                // A supervisor exports without a lease; an operator only from a camera it watches (world.Leases).
                "evidence-right" => caller.Role == "supervisor" || world.Leases.ContainsKey(caller.Name),
                // Every reader is answered; which exports it reads is narrowed by exporter and district (EvidenceExportTests).
                "evidence-reader" => true,
                // Every reader is answered; what it reads is narrowed to its jurisdiction (AuditScopeTests).
                "audit-scope" => true,
                "review-district" => caller.Agency is "control-jung" or "seoul-audit",
                "media-token" => false,
                // This session's own lease on the camera (any right).
                "camera-lease" => world.Leases.ContainsKey(caller.Name),
                // A lease carrying the PTZ right: the walk's incident type grants none, so nobody here may turn a camera
                // (PtzEndToEndTests walks an incident type that grants it).
                "ptz-right" => false,
                _ => throw new InvalidOperationException($"README access table uses an unknown scope '{scope}' ({rule})"),
            };

        var request = new HttpRequestMessage(new HttpMethod(operation.Method), SampleRequests.PathFor(operation, ids) + SampleRequests.QueryFor(operation, ids));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is { } b) request.Content = new StringContent(b.Body, Encoding.UTF8, b.ContentType);
        return (request, expect);
    }

    private async Task<(int Status, string Body)> SendAsync(HttpRequestMessage request, ApiOperation operation)
    {
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        // The Orleans Dashboard's trace is an endless stream: its status is the answer.
        var body = operation.Path == "/dashboard/Trace" ? "" : await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, body);
    }

    /// <summary>An import answers with a report; rows outside the caller's district are refused in it, not by status.</summary>
    private static bool IsRefusedImport(ApiOperation operation, string body) =>
        operation.Key == "POST /api/v1/cameras/import" && body.Contains("\"created\":0") && body.Contains("\"updated\":0");

    private static bool MaySeeSecrets(Caller caller) => !caller.Forged && (caller.Role == "platform-admin" || caller is { Agency: "control-jung", Role: "district-admin" });

    private static bool MayReadIncident(Caller caller, World world) => !caller.Forged
        && (world.Responders.Contains(caller.Agency ?? "") || caller.Role is "auditor" or "platform-admin");

    private async Task<JsonElement> OpenIncidentAsync(string token, string? reference)
    {
        var body = JsonSerializer.Serialize(new
        {
            type = "112-dispatch", latitude = 37.5663, longitude = 126.9779, priority = 2, externalReference = reference,
            address = "Sejong-daero 110", description = IncidentSecret, justification = "walk",
        });
        using var response = await _node.SendAsync(HttpMethod.Post, "/api/v1/incidents", token, new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"opening a walk incident: {json}");
        return json;
    }

    private async Task<string> LeaseAsync(string sessionToken, string camera, string incident)
    {
        using var response = await _node.SendAsync(HttpMethod.Post, $"/api/v1/cameras/{camera}/leases", sessionToken,
            Json($$"""{"purpose":"emergency-response","incidentId":"{{incident}}"}"""));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"taking a walk lease: {json}");
        return json.GetProperty("leaseId").GetString()!;
    }

    private async Task<string> VictimLeaseAsync(World world)
    {
        var (_, token) = await _node.SessionAsync("police-jung", $"lease-victim-{Interlocked.Increment(ref _unique)}");
        return await LeaseAsync(token, world.Camera, world.Incident);
    }

    private async Task<string> CurrentPolicyAsync(string token)
    {
        using var response = await _node.SendAsync(HttpMethod.Get, $"/api/v1/districts/{Jung}", token);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sharingPolicy").GetRawText();
    }

    private Task<string> TokenAsync(Caller caller) => _node.TokenAsync(caller.Agency!, $"walk-{caller.Role}", caller.Role!);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
