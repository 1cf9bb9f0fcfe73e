using Microsoft.AspNetCore.Http;
using SafetyNet.Api.Configuration;

namespace SafetyNet.Api.Errors;

/// <summary>
/// A sentence for the ProblemDetails that ASP.NET Core writes for a bare status code (no endpoint ran, or a middleware
/// refused), so a dispatch system's log says what to change rather than just the number.
/// </summary>
public static class StatusCodeDetails
{
    public static string? Describe(int status, HttpContext context, ApiOptions api) => status switch
    {
        StatusCodes.Status403Forbidden => "Your role does not allow this operation.",
        StatusCodes.Status404NotFound => $"Nothing is served at {context.Request.Method} {context.Request.Path}; the API is described at /openapi/v1.json.",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not supported on {context.Request.Path}.",
        StatusCodes.Status413PayloadTooLarge =>
            $"The request body is larger than the limit of {api.MaxRequestBodyBytes:N0} bytes ({api.MaxImportBytes:N0} bytes for camera and context-layer imports).",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json (or text/csv, application/geo+json, application/xml where the endpoint says so).",
        StatusCodes.Status429TooManyRequests => "Too many requests from this client; slow down and retry after a second.",
        _ => null,
    };
}
