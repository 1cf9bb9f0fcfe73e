using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace SafetyNet.Tests.Security;

/// <summary>
/// Generates malformed and hostile requests from the OpenAPI operations with a fixed seed: hostile ids, query values,
/// bodies, content types, methods and tokens. The same seed gives the same requests.
/// </summary>
public sealed class HostileRequests(IReadOnlyList<ApiOperation> operations, ApiIds ids, IReadOnlyList<string> tokens, int seed)
{
    private static readonly string[] HostileStrings =
    [
        "", " ", "%20", "\t", "%00", "null", "undefined", "-1", "0", "1e309", "NaN", "Infinity", "-Infinity", "99999999999999999999999",
        "../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f", "카메라", "😀", "' OR '1'='1", "\"; DROP TABLE audit_log;--",
        "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "\u202Eevil", "a\r\nX-Injected: 1", "true", "[]", "{}",
        "2026-13-45T99:99:99Z", "0001-01-01", "9999-12-31T23:59:59Z", "rtsp://admin:pw@127.0.0.1/x", "file:///etc/passwd", "lavfi:testsrc",
        "http://169.254.169.254/latest/meta-data/", new string('a', 5000), new string('9', 400), "11020", "11680-00001", "inc-0", "s-0",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-7", "application/json; charset=bogus", "application/json; charset=utf-16",
        "text/plain", "application/xml", "text/csv", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
        "application/geo+json", "application/octet-stream", "", "application/json; charset=\"",
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private readonly Random _random = new(seed);

    public HttpRequestMessage Next(int index)
    {
        var operation = operations[_random.Next(operations.Count)];
        var method = _random.Next(20) == 0 ? Pick(Methods) : operation.Method;
        var request = new HttpRequestMessage(new HttpMethod(method), PathFor(operation) + QueryFor(operation));
        if (method is "POST" or "PUT" or "PATCH" || _random.Next(10) == 0) request.Content = BodyFor(operation, index);
        var token = TokenFor();
        if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", token);
        return request;
    }

    private string PathFor(ApiOperation operation)
    {
        var path = SampleRequests.PathFor(operation, ids);
        foreach (var parameter in operation.InPath)
            if (_random.Next(3) == 0)
                path = path.Replace(Uri.EscapeDataString(SampleValue(operation, parameter)), Uri.EscapeDataString(Pick(HostileStrings)));
        if (_random.Next(30) == 0) path += Pick(["/", "//", "/..", "/%2e%2e", "?", "#x", "%"]);
        return path;
    }

    private string SampleValue(ApiOperation operation, ApiParameter parameter)
    {
        var single = operation with { Parameters = [parameter] };
        var filled = SampleRequests.PathFor(single, ids);
        var before = operation.Path.IndexOf($"{{{parameter.Name}}}", StringComparison.Ordinal);
        var after = operation.Path.Length - before - parameter.Name.Length - 2;
        return Uri.UnescapeDataString(filled[before..^after]);
    }

    private string QueryFor(ApiOperation operation)
    {
        var query = new List<string>();
        foreach (var parameter in operation.InQuery)
        {
            if (_random.Next(3) == 0) continue;
            var value = _random.Next(3) switch
            {
                0 => Pick(HostileStrings),
                1 => parameter.Type switch
                {
                    "integer" => _random.Next(-1000, 100000).ToString(),
                    "number" => (_random.NextDouble() * 400 - 200).ToString("R"),
                    _ => Pick(["monitoring", "emergency-response", "open", "closed", "traffic", "11020", "seoul-112", "allow", "deny"]),
                },
                _ => Uri.UnescapeDataString(SampleRequests.QueryFor(operation, ids).TrimStart('?').Split('&')
                    .Select(kv => kv.Split('=')).FirstOrDefault(kv => kv[0] == parameter.Name)?.ElementAtOrDefault(1) ?? "1"),
            };
            query.Add($"{Uri.EscapeDataString(parameter.Name)}={Uri.EscapeDataString(value)}");
            if (_random.Next(15) == 0) query.Add($"{Uri.EscapeDataString(parameter.Name)}={Uri.EscapeDataString(Pick(HostileStrings))}");
        }
        if (_random.Next(10) == 0) query.Add($"{Pick(["lat", "lon", "token", "purpose", "x"])}={Uri.EscapeDataString(Pick(HostileStrings))}");
        return query.Count == 0 ? "" : "?" + string.Join('&', query);
    }

    private HttpContent BodyFor(ApiOperation operation, int index)
    {
        var sample = SampleRequests.BodyFor(operation, ids, $"fuzz{index}") ?? ("application/json", "{}");
        byte[] bytes = _random.Next(9) switch
        {
            0 => Encoding.UTF8.GetBytes(sample.Body[..(sample.Body.Length / 2)]),
            1 => Encoding.UTF8.GetBytes(Pick(["[]", "\"x\"", "42", "null", "true", "", " ", "{", "}", "{\"a\":}", "[[[[[[[[[[", "\uFEFF{}"])),
            2 => Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
            3 => [0xFF, 0xFE, 0x00, 0xC3, 0x28, 0x7B, 0x7D],
            4 => Encoding.UTF8.GetBytes(sample.Body.Replace("\n", "\n" + Pick(HostileStrings) + ",")),
            _ => Encoding.UTF8.GetBytes(Mutate(sample.Body)),
        };
        var content = new ByteArrayContent(bytes);
        var type = _random.Next(3) == 0 ? Pick(ContentTypes) : sample.ContentType;
        if (type.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", type);
        return content;
    }

    private string Mutate(string body)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(body); }
        catch (System.Text.Json.JsonException) { return body + Pick(HostileStrings); }
        if (root is not JsonObject obj || obj.Count == 0) return root?.ToJsonString() ?? "null";
        var keys = obj.Select(p => p.Key).ToList();
        for (var i = 0; i < 1 + _random.Next(3); i++)
        {
            var key = _random.Next(8) == 0 ? Pick(["__proto__", "role", "agencyId", "streamUrl", "kind", "purpose", "status", "extra"]) : keys[_random.Next(keys.Count)];
            obj[key] = HostileValue();
        }
        var text = obj.ToJsonString();
        return _random.Next(10) == 0 ? text.Insert(1, $"\"{keys[0]}\":1,") : text;
    }

    private JsonNode? HostileValue() => _random.Next(12) switch
    {
        0 => null,
        1 => JsonValue.Create(_random.Next(-5, 200)),
        2 => JsonValue.Create(-1e308),
        3 => JsonValue.Create(double.MaxValue),
        4 => JsonValue.Create(Pick(HostileStrings)),
        5 => new JsonArray(JsonValue.Create(Pick(HostileStrings)), null, JsonValue.Create(42)),
        6 => new JsonObject { ["x"] = JsonValue.Create(Pick(HostileStrings)) },
        7 => JsonValue.Create(true),
        8 => JsonValue.Create(new string('x', 200_000)),
        9 => JsonValue.Create(long.MinValue),
        10 => JsonValue.Create(0.000000001),
        _ => JsonValue.Create(""),
    };

    private string? TokenFor() => _random.Next(10) switch
    {
        0 => null,
        1 => "Bearer " + Pick(["", "x", "a.b.c", "e30.e30.", new string('A', 9000)]),
        2 => Pick(["Basic YWRtaW46YWRtaW4=", "bearer", "Bearer  ", "Token abc"]),
        _ => "Bearer " + Pick(tokens),
    };

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
