using Orleans.Runtime;

namespace SafetyNet.Silo.Hosting;

/// <summary>
/// The Orleans Dashboard parses silo addresses from its routes inside a grain constructor, so a malformed one surfaces as
/// a 500. This filter answers 400 first, naming the expected form.
/// </summary>
public sealed class SiloAddressRouteFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern } && SiloParameter(pattern) is { } name
            && http.Request.RouteValues.TryGetValue(name, out var value) && !IsSiloAddress(value as string))
            return Results.Problem(statusCode: 400, title: "Bad request",
                detail: $"'{value}' is not a silo address; expected the form 'ip:port@generation' as listed by /dashboard/ClusterStats.");
        return await next(context);
    }

    /// <summary>The route parameter that holds a silo address: {address}, and the {path} of historical stats.</summary>
    private static string? SiloParameter(string pattern) =>
        pattern.Contains("{address}", StringComparison.Ordinal) ? "address"
        : pattern.Contains("HistoricalStats/{path}", StringComparison.Ordinal) ? "path"
        : null;

    private static bool IsSiloAddress(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        try
        {
            SiloAddress.FromParsableString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
