using Microsoft.AspNetCore.Routing.Patterns;
using Orleans.Runtime;

namespace SafetyNet.Silo.Hosting;

/// <summary>
/// The Orleans Dashboard parses silo addresses from its routes inside a grain constructor, so a malformed one surfaces as
/// a 500. This middleware, placed after authorization, answers 400 first, naming the expected form.
/// </summary>
public static class SiloAddressRouteGuard
{
    public static WebApplication UseSiloAddressRouteGuard(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint() is RouteEndpoint { RoutePattern: var pattern } && SiloParameter(pattern) is { } name
                && context.Request.RouteValues.TryGetValue(name, out var value) && !IsSiloAddress(value as string))
            {
                await Results.Problem(statusCode: 400, title: "Bad request",
                    detail: $"'{value}' is not a silo address; expected the form 'ip:port@generation' as listed by /dashboard/ClusterStats.").ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        return app;
    }

    /// <summary>The route parameter that holds a silo address: {*address}, and the {*path} of historical stats.</summary>
    private static string? SiloParameter(RoutePattern pattern) =>
        pattern.GetParameter("address") is not null ? "address"
        : pattern.RawText?.Contains("/HistoricalStats/", StringComparison.Ordinal) == true && pattern.GetParameter("path") is not null ? "path"
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
