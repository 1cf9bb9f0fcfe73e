using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace SafetyNet.Api.Errors;

/// <summary>
/// Every body this API reads is UTF-8 (JSON, CSV, GeoJSON, CAP XML). A body declared in another charset is refused up
/// front with 415, rather than failing deep in a reader (utf-7 made the JSON binder throw) or being silently misread.
/// </summary>
public static class CharsetGuard
{
    private static readonly string[] Accepted = ["utf-8", "utf8", "us-ascii"];

    public static IApplicationBuilder UseUtf8Bodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            && mediaType.Charset.HasValue && !Accepted.Contains(HeaderUtilities.RemoveQuotes(mediaType.Charset).ToString(), StringComparer.OrdinalIgnoreCase))
        {
            await Problems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported charset",
                $"The body is declared as charset '{mediaType.Charset}'; this API reads only UTF-8. Send charset=utf-8 or no charset.");
            return;
        }
        await next();
    });
}
