using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Api.Interop;

namespace SafetyNet.Api.Errors;

/// <summary>
/// Every body this API reads is UTF-8, and CSV and XML may also be EUC-KR (<see cref="BodyCharsets"/>). A body declared
/// in another charset is refused up front with 415, rather than failing deep in a reader (utf-7 made the JSON binder
/// throw) or being silently misread.
/// </summary>
public static class CharsetGuard
{
    public static IApplicationBuilder UseUtf8Bodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (BodyCharsets.Declared(context.Request.ContentType) is ({ } mediaType, { } charset) && !Reads(charset, mediaType))
        {
            await Problems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported charset",
                $"The body is declared as charset '{charset}'; this API reads only UTF-8 (CSV and XML bodies also EUC-KR). Send charset=utf-8 or no charset.");
            return;
        }
        await next();
    });

    private static bool Reads(string charset, string mediaType) => BodyCharsets.Canonical(charset) switch
    {
        BodyCharsets.Utf8 => true,
        BodyCharsets.Korean => BodyCharsets.MayBeKorean(mediaType),
        _ => false,
    };
}
