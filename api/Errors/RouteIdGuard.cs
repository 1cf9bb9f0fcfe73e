using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SafetyNet.Api.Errors;

/// <summary>
/// A path segment that is blank or carries control characters (/cameras/%20, /sessions/%00/heartbeat) names nothing: it is
/// refused with 400 for every route at once, before it can become a grain key or a database parameter.
/// </summary>
public static class RouteIdGuard
{
    public static IApplicationBuilder UseRouteIdGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        foreach (var (name, value) in context.Request.RouteValues)
        {
            // Empty is what an unfilled catch-all holds; a real parameter never matches an empty segment.
            if (value is not string { Length: > 0 } text || (!string.IsNullOrWhiteSpace(text) && !text.Any(char.IsControl))) continue;
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Invalid request",
                $"The {name} in the path is blank or contains control characters.");
            return;
        }
        await next();
    });
}
