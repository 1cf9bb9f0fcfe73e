using System.Text.Json;

namespace SafetyNet.Tests.Security;

/// <summary>One operation of the node's OpenAPI document: what the security tests walk.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, IReadOnlyList<string> BodyTypes)
{
    public string Key => $"{Method} {Path}";

    public IEnumerable<ApiParameter> InPath => Parameters.Where(p => p.In == "path");

    public IEnumerable<ApiParameter> InQuery => Parameters.Where(p => p.In == "query");

    public override string ToString() => Key;
}

public sealed record ApiParameter(string Name, string In, string? Type);

public static class OpenApiOperations
{
    /// <summary>Every operation of the document at /openapi/v1.json.</summary>
    public static async Task<IReadOnlyList<ApiOperation>> LoadAsync(HttpClient http)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var operations = new List<ApiOperation>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        {
            var parameters = operation.Value.TryGetProperty("parameters", out var list)
                ? list.EnumerateArray().Select(p => new ApiParameter(
                    p.GetProperty("name").GetString()!,
                    p.GetProperty("in").GetString()!,
                    p.TryGetProperty("schema", out var schema) && schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null)).ToList()
                : [];
            var bodyTypes = operation.Value.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content)
                ? content.EnumerateObject().Select(c => c.Name).ToList()
                : [];
            operations.Add(new ApiOperation(operation.Name.ToUpperInvariant(), path.Name, parameters, bodyTypes));
        }
        return operations;
    }
}
