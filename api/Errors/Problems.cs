using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace SafetyNet.Api.Errors;

public static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: 400, title: "Invalid request");

    /// <summary>A 400 whose <c>reason</c> is a stable code and whose <c>values</c> are what its message names, beside the English detail.</summary>
    public static ProblemHttpResult BadRequest(string detail, string reason, IReadOnlyDictionary<string, string> values) =>
        TypedResults.Problem(detail, statusCode: 400, title: "Invalid request", extensions: new Dictionary<string, object?> { ["reason"] = reason, ["values"] = values });

    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: 404, title: "Not found");

    public static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(detail, statusCode: 403, title: "Forbidden");

    /// <summary>Answers a ProblemDetails from middleware or an auth/limiter callback, where no endpoint result runs.</summary>
    public static async Task WriteAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
